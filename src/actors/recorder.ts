import {
  chainGenesis,
  contentHash,
  currentEvents,
  type EventDraft,
  type EventSpec,
  type EventType,
  eventId,
  type MmzeroEvent,
} from "../events/index.ts";
import type { EventLog, RecordedEvent } from "../store/index.ts";

export type { EventSpec };

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

/** The version each event type is written at: the literal `v` of its current schema in the catalog. */
function currentVersionOf(type: EventType): number {
  return currentEvents[type].fields.v.literal;
}

/** Where a unit's events go: appended to the log (a run) or checked against it (a replay). */
export interface Recorder {
  readonly runId: string;
  idOf(spec: Pick<EventSpec, "producer" | "logicalKey">): string;
  record(specs: readonly EventSpec[]): Promise<readonly MmzeroEvent[]>;
  /** A recorded event by id (events of earlier units: datasets, proposals, renders). */
  get(id: string): MmzeroEvent | undefined;
  /** The hash-chain head of every event recorded so far (the anchor markers carry). */
  chainHead(): Promise<string>;
}

/**
 * The single writer of a run's log. Events are appended in the order given (callers sort by
 * logical key), so the log's order never depends on which worker answered first. On resume, a
 * unit is re-executed from its start: events already in the log are recognised by id and checked
 * to be identical (a determinism check for free) instead of appended again.
 */
export class RunRecorder implements Recorder {
  private readonly known = new Map<string, RecordedEvent>();
  private readonly chainBySeq = new Map<number, string>();
  private lastChainHash = chainGenesis;

  private constructor(
    readonly log: EventLog,
    private readonly clock: Clock,
  ) {}

  /** The events the log held when the recorder opened it (read once, for the recorder and the resume fold). */
  readonly openedWith: RecordedEvent[] = [];

  static async open(log: EventLog, clock: Clock): Promise<RunRecorder> {
    const recorder = new RunRecorder(log, clock);
    for await (const recorded of log.read()) {
      recorder.remember(recorded);
      recorder.openedWith.push(recorded);
    }
    return recorder;
  }

  get runId(): string {
    return this.log.runId;
  }

  idOf(spec: Pick<EventSpec, "producer" | "logicalKey">): string {
    return eventId(this.log.runId, spec.producer, spec.logicalKey);
  }

  /** Appends the events in order; already-recorded ones (a resumed unit) must match and precede new ones. */
  async record(specs: readonly EventSpec[]): Promise<readonly MmzeroEvent[]> {
    const drafts = specs.map((spec) => this.draftOf(spec));
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
      // The draft's content with the recorded seq must hash like the recorded event.
      const recomputed = contentHash({ ...draft, seq: existing.event.seq } as MmzeroEvent);
      if (recomputed !== existing.contentHash) {
        throw new DeterminismViolationError(
          existing.event.seq,
          existing.event.type,
          existing.contentHash,
          recomputed,
        );
      }
    }
    if (fresh.length > 0) {
      const head = await this.log.head();
      for (const recorded of await this.log.append(fresh, { expectedSeq: head.seq })) {
        this.remember(recorded);
        this.lastChainHash = recorded.chainHash;
      }
    }
    return drafts.map((draft) => this.known.get(draft.id)!.event);
  }

  /** A recorded event by id (events of earlier units: datasets, proposals, renders). */
  get(id: string): MmzeroEvent | undefined {
    return this.known.get(id)?.event;
  }

  /**
   * On resume, re-executed events are matched but not yet past the log's end, so the head is that
   * of the last event matched or appended, tracked here, not the log's.
   */
  async chainHead(): Promise<string> {
    return this.lastChainHash;
  }

  /** Positions the chain head after `seq` (the last completed unit's marker) before re-executing the next unit. */
  resumeAfter(seq: number): void {
    const hash = seq === 0 ? chainGenesis : this.chainBySeq.get(seq);
    if (hash === undefined) throw new Error(`cannot resume after seq ${seq}: the log has no such event`);
    this.lastChainHash = hash;
  }

  private remember(recorded: RecordedEvent): void {
    this.known.set(recorded.event.id, recorded);
    this.chainBySeq.set(recorded.event.seq, recorded.chainHash);
  }

  private draftOf(spec: EventSpec): EventDraft {
    return draftOf(this.log.runId, spec, this.clock);
  }
}

/** The envelope completed around a spec (the log assigns seq). */
export function draftOf(runId: string, spec: EventSpec, clock: Clock): EventDraft {
  // The cast pairs `type` with its payload, which TypeScript cannot correlate across the union;
  // the log's append validates the event against its schema before anything is written.
  return {
    runId,
    id: eventId(runId, spec.producer, spec.logicalKey),
    type: spec.type,
    v: currentVersionOf(spec.type),
    causationId: spec.causationId ?? null,
    correlationId: spec.correlationId ?? null,
    producer: spec.producer,
    payload: spec.payload,
    at: clock.nowIso(),
  } as EventDraft;
}
