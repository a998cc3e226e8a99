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

/** How a recorder reads the log it opens, in one pass. */
export interface LogReading {
  /** Sees every recorded event once, in log order (the resume fold, the sample graph). */
  observe(recorded: RecordedEvent): void;
  /** Whether an event is a unit's marker: a resumed run re-executes only what follows the last one. */
  endsUnit(event: MmzeroEvent): boolean;
}

/**
 * The single writer of a run's log. Events are appended in the order given (callers sort by
 * logical key), so the log's order never depends on which worker answered first. On resume, a
 * unit is re-executed from its start: events already in the log are recognised by id and checked
 * to be identical (a determinism check for free) instead of appended again. Memory stays bounded:
 * opening a log reads it once and keeps only what a resume produces again (the run's first event,
 * re-derived on every resume, and the events after the last unit marker), never the events it appends.
 */
export class RunRecorder implements Recorder {
  /** Recorded events a re-executed unit may produce again, by id: those after the last unit marker. */
  private readonly known = new Map<string, RecordedEvent>();
  /** The log's first event (RunStarted), which every resume re-derives, until it is matched. */
  private opening: RecordedEvent | null = null;
  /** Chain hash of the last unit marker read: where a resumed run's chain continues. */
  private resumeChainHash = chainGenesis;
  private lastChainHash = chainGenesis;
  /** Events the log held when the recorder opened it. */
  private openedCount = 0;

  private constructor(
    readonly log: EventLog,
    private readonly clock: Clock,
  ) {}

  /** Opens a log, showing `reading` every recorded event in one pass. */
  static async open(log: EventLog, clock: Clock, reading: LogReading): Promise<RunRecorder> {
    const recorder = new RunRecorder(log, clock);
    for await (const recorded of log.read()) {
      reading.observe(recorded);
      recorder.openedCount += 1;
      if (recorder.opening === null) recorder.opening = recorded;
      if (reading.endsUnit(recorded.event)) {
        // No later unit re-records anything up to a marker.
        recorder.known.clear();
        recorder.resumeChainHash = recorded.chainHash;
      } else recorder.known.set(recorded.event.id, recorded);
    }
    return recorder;
  }

  /** How many events the log held when opened (0: a new run). */
  get eventsWhenOpened(): number {
    return this.openedCount;
  }

  /** Recorded events held for a resume to match (bounded by one unit's events, whatever the log's length). */
  get heldForResume(): number {
    return this.known.size + (this.opening === null ? 0 : 1);
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
      const existing = this.opening?.event.id === draft.id ? this.opening : this.known.get(draft.id);
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
      if (existing === this.opening) this.opening = null;
      else this.known.delete(draft.id);
      matched.push(existing.event);
    }
    if (fresh.length === 0) return matched;
    const head = await this.log.head();
    const appended = await this.log.append(fresh, { expectedSeq: head.seq });
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
   * Positions the chain head after the last unit marker read at open (or after the first event when
   * none followed it) before re-executing the next unit; the first event is then matched or not needed.
   */
  resumeAfterLastMarker(): void {
    // A new run's chain already continues after the first event, just appended.
    if (this.openedCount > 0) this.lastChainHash = this.resumeChainHash;
    this.opening = null;
  }

  private draftOf(spec: EventSpec): EventDraft {
    return draftOf(this.log.runId, spec, this.clock.nowIso());
  }
}
