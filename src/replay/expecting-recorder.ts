import type { Recorder } from "../actors/index.ts";
import {
  chainGenesis,
  contentHash,
  draftAt,
  draftOf,
  type EventSpec,
  type MmzeroEvent,
} from "../events/index.ts";
import { matchesRecorded, type RecordedEvent } from "../store/index.ts";
import { firstDifference } from "./diff.ts";
import { ReplayDivergenceError } from "./divergence.ts";

const replayClock = { nowIso: () => "" };

/**
 * The recorder of a verifying replay: every event the re-executed loop produces must equal the
 * recorded event at the next position, id and content. Nothing is written. RunFailed events are
 * skipped: they record an environment failure (a crash before a resume), not logic.
 */
export class ExpectingRecorder implements Recorder {
  private cursor = 0;
  /** The first divergence found (the walk stops there). */
  divergence: ReplayDivergenceError | null = null;
  private readonly expected: readonly RecordedEvent[];

  constructor(
    readonly runId: string,
    recorded: readonly RecordedEvent[],
  ) {
    this.expected = recorded.filter((entry) => entry.event.type !== "RunFailed");
  }

  async chainHead(): Promise<string> {
    return this.cursor === 0 ? chainGenesis : this.expected[this.cursor - 1]!.chainHash;
  }

  /** Events checked so far, and how many the log holds. */
  get progress(): { readonly checked: number; readonly total: number } {
    return { checked: this.cursor, total: this.expected.length };
  }

  async record(specs: readonly EventSpec[]): Promise<readonly MmzeroEvent[]> {
    try {
      return specs.map((spec) => this.expect(spec));
    } catch (error) {
      if (error instanceof ReplayDivergenceError) this.divergence ??= error;
      throw error;
    }
  }

  private expect(spec: EventSpec): MmzeroEvent {
    const draft = draftOf(this.runId, spec, replayClock.nowIso());
    const recorded = this.expected[this.cursor];
    if (recorded === undefined) {
      const seq = this.cursor + 1;
      throw new ReplayDivergenceError(seq, draft.type, {
        path: "<event>",
        recorded: "end of log",
        recomputed: draft.type,
      });
    }
    const { at: _recordedAt, ...recordedContent } = recorded.event;
    const candidate = draftAt(draft, recorded.event.seq);
    // A recorded event of an older version is compared in its upcast form (matchesRecorded).
    if (!matchesRecorded(contentHash(candidate), recorded)) {
      const { at: _draftAt, ...recomputedContent } = candidate;
      const difference = firstDifference(recordedContent, recomputedContent) ?? {
        path: "<encoding>",
        recorded: recorded.contentHash,
        recomputed: contentHash(candidate),
      };
      throw new ReplayDivergenceError(recorded.event.seq, recorded.event.type, difference);
    }
    this.cursor += 1;
    return recorded.event;
  }
}
