import { chainGenesis, type PayloadOf, type PolicyRole } from "../events/index.ts";
import type { RecordedEvent } from "../store/index.ts";
import { countAdd } from "./statistics.ts";

/**
 * What a run is and where it stands, folded from its log: configuration, seed, backend, the hash
 * chain, the policies' weight and checkpoint hashes, and the current position for a live view.
 */

/** Where a run stands as its log records it (the daemon's RunStatus also knows queued and cancelled runs). */
export type RecordedRunStatus = "empty" | "running" | "completed" | "failed";

export interface PhaseRecord {
  readonly iteration: number;
  readonly phase: PolicyRole;
  readonly steps: number;
  /** Every role's weight hash as the phase started. */
  readonly policiesAtStart: Readonly<Record<PolicyRole, string>>;
  /** The trained role's weight hash when the phase completed; null while it runs. */
  readonly weightHashAtEnd: string | null;
  readonly stepsCompleted: number;
  /** Steps that made no update (every group dropped). */
  readonly stepsWithoutUpdate: number;
}

export interface UpdateRecord {
  readonly role: PolicyRole;
  readonly iteration: number;
  readonly step: number;
  readonly fromWeightHash: string;
  readonly weightHash: string;
  /** Checkpoint blob (weights and optimizer state) after the update. */
  readonly checkpoint: string;
}

export interface RunInfo {
  readonly runId: string | null;
  readonly status: RecordedRunStatus;
  readonly started: PayloadOf<"RunStarted"> | null;
  readonly failure: PayloadOf<"RunFailed"> | null;
  readonly eventCount: number;
  readonly chainHead: string;
  /** Wall-clock metadata of the first and last events (never used for any metric). */
  readonly firstAt: string | null;
  readonly lastAt: string | null;
  readonly eventCounts: Readonly<Record<string, number>>;
  /** The last unit that started or finished, for a live view. */
  readonly position: {
    readonly iteration: number;
    readonly phase: PolicyRole;
    readonly step: number | null;
  } | null;
  readonly iterationsCompleted: number;
  readonly phases: readonly PhaseRecord[];
  readonly updates: readonly UpdateRecord[];
  readonly finalPolicies: Readonly<Record<PolicyRole, string>> | null;
}

export const emptyRunInfo: RunInfo = {
  runId: null,
  status: "empty",
  started: null,
  failure: null,
  eventCount: 0,
  chainHead: chainGenesis,
  firstAt: null,
  lastAt: null,
  eventCounts: {},
  position: null,
  iterationsCompleted: 0,
  phases: [],
  updates: [],
  finalPolicies: null,
};

function withPhase(
  info: RunInfo,
  iteration: number,
  phase: PolicyRole,
  update: (record: PhaseRecord) => PhaseRecord,
) {
  return {
    ...info,
    phases: info.phases.map((record) =>
      record.iteration === iteration && record.phase === phase ? update(record) : record,
    ),
  };
}

/** The part of an event that changes the run's identity, status or position. */
function applyEvent(info: RunInfo, recorded: RecordedEvent): RunInfo {
  const { event } = recorded;
  switch (event.type) {
    case "RunStarted":
      return { ...info, started: event.payload, status: "running" };
    case "IterationCompleted":
      return { ...info, iterationsCompleted: Math.max(info.iterationsCompleted, event.payload.iteration) };
    case "PhaseStarted": {
      const { iteration, phase, steps, policies } = event.payload;
      const record: PhaseRecord = {
        iteration,
        phase,
        steps,
        policiesAtStart: policies,
        weightHashAtEnd: null,
        stepsCompleted: 0,
        stepsWithoutUpdate: 0,
      };
      return { ...info, phases: [...info.phases, record], position: { iteration, phase, step: null } };
    }
    case "StepCompleted": {
      const { iteration, phase, step, updated } = event.payload;
      const moved = { ...info, position: { iteration, phase, step } };
      return withPhase(moved, iteration, phase, (record) => ({
        ...record,
        stepsCompleted: record.stepsCompleted + 1,
        stepsWithoutUpdate: record.stepsWithoutUpdate + (updated ? 0 : 1),
      }));
    }
    case "PhaseCompleted": {
      const { iteration, phase, weightHash } = event.payload;
      return withPhase(info, iteration, phase, (record) => ({ ...record, weightHashAtEnd: weightHash }));
    }
    case "PolicyUpdated": {
      const { role, iteration, step, fromWeightHash, weightHash, checkpoint } = event.payload;
      return {
        ...info,
        updates: [...info.updates, { role, iteration, step, fromWeightHash, weightHash, checkpoint }],
      };
    }
    case "RunCompleted":
      return { ...info, status: "completed", finalPolicies: event.payload.policies };
    case "RunFailed":
      return { ...info, status: "failed", failure: event.payload };
    default:
      return info;
  }
}

export function applyRunInfo(info: RunInfo, recorded: RecordedEvent): RunInfo {
  const { event } = recorded;
  const counted: RunInfo = {
    ...info,
    runId: info.runId ?? event.runId,
    eventCount: info.eventCount + 1,
    chainHead: recorded.chainHash,
    firstAt: info.firstAt ?? event.at,
    lastAt: event.at,
    eventCounts: countAdd(info.eventCounts, event.type),
    // A failed run that is resumed appends again: it is running, and the old failure stays on record.
    status: info.status === "failed" ? "running" : info.status,
  };
  return applyEvent(counted, recorded);
}
