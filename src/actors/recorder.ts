import {
  chainGenesis,
  contentHash,
  draftAt,
  draftOf,
  type EventDraft,
  type EventSpec,
  type MmzeroEvent,
} from "../events/index.ts";
import { type EventLog, matchesRecorded, type RecordedEvent } from "../store/index.ts";

/** Wall-clock source for the `at` metadata field only; injected so logic never reads the clock. */
export interface Clock {
  nowIso(): string;
}

/** Raised when re-executing a unit produces an event that differs from the one already in the log. */
export class DeterminismViolationError extends Error {
  override readonly name = "DeterminismViolationError";
  constructor(
    readonly seq: number,
    readonly type: string,
    readonly recordedHash: string,
    readonly recomputedHash: string,
  ) {
    super(
      `event seq ${seq} (${type}) was recorded with content ${recordedHash.slice(0, 12)} but re-executing ` +
        `gives ${recomputedHash.slice(0, 12)}: the code or backend is not compatible with this run's log`,
    );
  }
}

/** Where a unit's events go: appended to the log (a run) or checked against it (a replay). */
export interface Recorder {
  readonly runId: string;
  record(specs: readonly EventSpec[]): Promise<readonly MmzeroEvent[]>;
  /** The hash-chain head of every event recorded so far (the anchor markers carry). */
  chainHead(): Promise<string>;
}

/**
 * The single writer of a run's log. Events are appended in the order given (callers sort by
 * logical key), so the log's order never depends on which worker answered first. On resume, a
 * unit is re-executed from its start: events already in the log are recognised by id and checked
 * to be identical (a determinism check for free) instead of appended again. Memory stays bounded:
 * after {@link resumeAfter} the recorder holds only the events a re-executed unit can produce again
 * (those after the resume point), never the events it appends.
 */
export class RunRecorder implements Recorder {
  /** Recorded events a re-executed unit may produce again, by id. */
  private readonly known = new Map<string, RecordedEvent>();
  /** Chain hash by seq, kept only until the resume point is set (then null). */
  private chainBySeq: Map<number, string> | null = new Map();
  private lastChainHash = chainGenesis;

  private constructor(
    readonly log: EventLog,
    private readonly clock: Clock,
  ) {}

  /**
   * The events the log held when the recorder opened it (read once, for the resume fold and the
   * sample graph); released by {@link resumeAfter}.
   */
  openedWith: readonly RecordedEvent[] = [];

  static async open(log: EventLog, clock: Clock): Promise<RunRecorder> {
    const recorder = new RunRecorder(log, clock);
    const opened: RecordedEvent[] = [];
    for await (const recorded of log.read()) {
      recorder.known.set(recorded.event.id, recorded);
      recorder.chainBySeq?.set(recorded.event.seq, recorded.chainHash);
      opened.push(recorded);
    }
    recorder.openedWith = opened;
    return recorder;
  }

  get runId(): string {
    return this.log.runId;
  }

  /** Appends the events in order; already-recorded ones (a resumed unit) must match and precede new ones. */
  async record(specs: readonly EventSpec[]): Promise<readonly MmzeroEvent[]> {
    const drafts = specs.map((spec) => this.draftOf(spec));
    const matched: MmzeroEvent[] = [];
    const fresh: EventDraft[] = [];
    for (const draft of drafts) {
      const existing = this.known.get(draft.id);
      if (existing === undefined) {
        fresh.push(draft);
        continue;
      }
      // Recorded events of a re-executed unit form a prefix of it: the log was cut at one point.
      if (fresh.length > 0)
        throw new DeterminismViolationError(
          existing.event.seq,
          existing.event.type,
          existing.contentHash,
          "out-of-order",
        );
      this.lastChainHash = existing.chainHash;
      // The draft's content with the recorded seq must hash like the recorded event (upcast, if
      // it was stored in an older version: a log recorded before a version change resumes).
      const recomputed = contentHash(draftAt(draft, existing.event.seq));
      if (!matchesRecorded(recomputed, existing)) {
        throw new DeterminismViolationError(
          existing.event.seq,
          existing.event.type,
          existing.contentHash,
          recomputed,
        );
      }
      // Matched once: a re-executed unit produces each of its events once.
      this.known.delete(draft.id);
      matched.push(existing.event);
    }
    if (fresh.length === 0) return matched;
    const head = await this.log.head();
    const appended = await this.log.append(fresh, { expectedSeq: head.seq });
    for (const recorded of appended) this.chainBySeq?.set(recorded.event.seq, recorded.chainHash);
    this.lastChainHash = appended.at(-1)?.chainHash ?? this.lastChainHash;
    return [...matched, ...appended.map((recorded) => recorded.event)];
  }

  /**
   * On resume, re-executed events are matched but not yet past the log's end, so the head is that
   * of the last event matched or appended, tracked here, not the log's.
   */
  async chainHead(): Promise<string> {
    return this.lastChainHash;
  }

  /**
   * Positions the chain head after `seq` (the last completed unit's marker) before re-executing the
   * next unit, and lets go of everything up to it: no later unit re-records those events.
   */
  resumeAfter(seq: number): void {
    const hash = seq === 0 ? chainGenesis : this.chainBySeq?.get(seq);
    if (hash === undefined) throw new Error(`cannot resume after seq ${seq}: the log has no such event`);
    this.lastChainHash = hash;
    for (const [id, recorded] of this.known) if (recorded.event.seq <= seq) this.known.delete(id);
    this.chainBySeq = null;
    this.openedWith = [];
  }

  private draftOf(spec: EventSpec): EventDraft {
    return draftOf(this.log.runId, spec, this.clock.nowIso());
  }
}
