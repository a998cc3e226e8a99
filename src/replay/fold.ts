import type { PolicyState } from "../actors/index.ts";
import { resumePoint } from "../actors/index.ts";
import { chainGenesis } from "../events/index.ts";
import type { RecordedRun } from "./recorded-run.ts";

/** A marker whose recorded chain anchor differs from the chain recomputed over the events before it. */
export interface AnchorMismatch {
  readonly seq: number;
  readonly type: string;
  readonly recorded: string;
  readonly recomputed: string;
}

/** Checks every chain anchor (markers' `logChainHead`) against the recomputed chain. */
export function checkChainAnchors(events: RecordedRun["events"]): {
  checked: number;
  firstMismatch: AnchorMismatch | null;
} {
  let checked = 0;
  for (const [index, { event }] of events.entries()) {
    if (!("logChainHead" in event.payload)) continue;
    checked += 1;
    const recomputed = index === 0 ? chainGenesis : events[index - 1]!.chainHash;
    if (event.payload.logChainHead !== recomputed) {
      return {
        checked,
        firstMismatch: { seq: event.seq, type: event.type, recorded: event.payload.logChainHead, recomputed },
      };
    }
  }
  return { checked, firstMismatch: null };
}

export interface FoldResult {
  readonly events: number;
  readonly chainHead: string;
  readonly countsByType: Readonly<Record<string, number>>;
  /** Chain anchors checked, and the first that does not match (an event before it was altered). */
  readonly anchors: { readonly checked: number; readonly firstMismatch: AnchorMismatch | null };
  readonly completedUnits: number;
  readonly policies: PolicyState;
  readonly finished: boolean;
  /** Events per second of the fold itself (read, decode, chain, projections). */
  readonly foldEventsPerSecond: number;
  /** Events per second of the original run, from the first and last `at` (null without a span). */
  readonly originalEventsPerSecond: number | null;
}

/**
 * Rebuilds the run's projections from its log alone: event counts, completed schedule units, every
 * role's policy (weights, checkpoint, reference, optimizer state). Reading the log already checked
 * every record's CRC, schema, seq and recomputed the hash chain.
 */
export function foldRun(run: RecordedRun): FoldResult {
  const started = performance.now(); // wall-clock-ok: speed report only
  const countsByType: Record<string, number> = {};
  for (const { event } of run.events) countsByType[event.type] = (countsByType[event.type] ?? 0) + 1;
  const point = resumePoint(run.events, run.base);
  const anchors = checkChainAnchors(run.events);
  const seconds = run.readSeconds + (performance.now() - started) / 1000; // wall-clock-ok: speed report only
  const first = Date.parse(run.events[0]?.event.at ?? "");
  const last = Date.parse(run.events.at(-1)?.event.at ?? "");
  const span = (last - first) / 1000;
  return {
    events: run.events.length,
    chainHead: run.events.at(-1)?.chainHash ?? "0".repeat(64),
    countsByType,
    anchors,
    completedUnits: point.completed.size,
    policies: point.policies,
    finished: point.completed.has("complete"),
    foldEventsPerSecond: run.events.length / Math.max(seconds, 1e-9),
    originalEventsPerSecond: Number.isFinite(span) && span > 0 ? run.events.length / span : null,
  };
}
