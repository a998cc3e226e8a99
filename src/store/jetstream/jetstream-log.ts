import assert from "node:assert/strict";
import { JetStreamApiCodes, JetStreamApiError, type PubAck } from "@nats-io/jetstream";
import { decodeEvent, EventDecodeError, type EventDraft, type MmzeroEvent } from "../../events/index.ts";
import { type EncodedEvent, planAppend } from "../append-plan.ts";
import { AppendConflictError, LogClosedError, LogCorruptionError } from "../errors.ts";
import type {
  AppendOptions,
  EventLog,
  LogHead,
  ReadRange,
  RecordedEvent,
  TailOptions,
} from "../event-log.ts";
import { LogIndex } from "../log-index.ts";
import { resolveReadRange } from "../read-range.ts";
import { recordedFromBytes } from "../recorded.ts";
import { SerialQueue } from "../serial-queue.ts";
import type { JetStreamConnection } from "./connection.ts";
import { replaySubject, type SubjectMessage } from "./replay.ts";
import {
  ensureStream,
  eventDuplicateWindowMsDefault,
  eventStreamConfig,
  eventStreamName,
  eventStreamViolations,
  runSubject,
} from "./stream-settings.ts";
import { retryTransient } from "./transient.ts";

export interface JetStreamLogOptions {
  /** Server-side Nats-Msg-Id dedupe window when the stream is created (later retries hit the id index). @default 120000 */
  readonly duplicateWindowMs?: number;
  /** How long one operation keeps retrying through a server restart before JetStreamUnavailableError. @default 60000 */
  readonly retryDeadlineMs?: number;
  /** Wait for one publish acknowledgement before publishing again (same id, same expectation). @default 2000 */
  readonly publishAckTimeoutMs?: number;
  /** Messages the ordered consumer pulls per request during read and tail. @default 512 */
  readonly replayBatchMessages?: number;
  /** Lifetime of a replay pull request; a tail resumes within about this after a server restart. @default 2000 */
  readonly replayPullExpiresMs?: number;
}

/** Why: each attempt that loses a race to another writer learns its events; more means a livelock. */
const appendAttemptsMax = 8;
/** Publishes of one batch in flight at once: bounds the bytes a pipelined append holds unacknowledged. */
const pipelineWindowMax = 64;

/** stored: published now; found: already in the log at its planned seq (an earlier attempt's); moved: not ours. */
type PublishOutcome = "stored" | "found" | "moved";

/**
 * The JetStream EventLog adapter: one message per event on the run's subject of MMZERO_EVENTS,
 * Nats-Msg-Id = event id, each batch's first publish conditional on the run's last stream sequence
 * and each later one on its predecessor being the stream's last message (so seqs are gap-free and the
 * chain is linear even with several writers, and a batch cut short leaves a prefix of itself),
 * replay by ordered consumers.
 * The index (seq -> stream sequence, hashes, ids) covers a prefix of the run and catches up on demand.
 */
export class JetStreamEventLog implements EventLog {
  readonly runId: string;
  readonly subject: string;
  readonly #connection: JetStreamConnection;
  readonly #index = new LogIndex<number>();
  readonly #queue = new SerialQueue();
  readonly #closing = new AbortController();
  readonly #retryDeadlineMs: number;
  readonly #publishAckTimeoutMs: number;
  readonly #replay: { readonly batchMessages: number; readonly pullExpiresMs: number };
  #closed = false;

  constructor(connection: JetStreamConnection, runId: string, options: JetStreamLogOptions) {
    this.runId = runId;
    this.subject = runSubject(runId);
    this.#connection = connection;
    this.#retryDeadlineMs = options.retryDeadlineMs ?? 60_000;
    this.#publishAckTimeoutMs = options.publishAckTimeoutMs ?? 2000;
    this.#replay = {
      batchMessages: options.replayBatchMessages ?? 512,
      pullExpiresMs: options.replayPullExpiresMs ?? 2000,
    };
  }

  /** Loads the run's index from the stream, validating every event and the chain. */
  load(): Promise<void> {
    return this.#queue.run(() => this.#catchUp());
  }

  async head(): Promise<LogHead> {
    this.#assertOpen();
    return this.#queue.run(async () => {
      await this.#catchUp();
      return this.#index.head;
    });
  }

  append(drafts: readonly EventDraft[], options: AppendOptions = {}): Promise<readonly RecordedEvent[]> {
    return this.#queue.run(async () => {
      this.#assertOpen();
      for (let attempt = 1; ; attempt++) {
        if (this.#indexMayBeStale(drafts, options)) await this.#catchUp();
        const plan = await planAppend(this.#index, this.runId, drafts, options, (seq) =>
          this.#storedEvent(seq),
        );
        if (plan.kind === "retry") return this.#recordedAtAll(plan.seqs);
        const outcome = await this.#publishAll(plan.events);
        if (outcome === "stored") return this.#recordedOf(plan.events);
        // Some were stored by an earlier attempt: return what the log holds (their `at` may differ).
        if (outcome === "found") return this.#recordedAtAll(plan.events.map(({ event }) => event.seq));
        // The log moved under us and this index has caught up: decide again (retry, conflict or new seqs).
        if (attempt >= appendAttemptsMax) {
          throw new AppendConflictError(
            this.runId,
            options.expectedSeq ?? this.#index.headSeq,
            this.#index.headSeq,
          );
        }
      }
    });
  }

  async *read(range: ReadRange = {}): AsyncGenerator<RecordedEvent> {
    this.#assertOpen();
    const headSeq = await this.#queue.run(async () => {
      await this.#catchUp();
      return this.#index.headSeq;
    });
    const { from, to } = resolveReadRange(range, headSeq);
    if (from > to) return;
    let seq = from;
    for await (const message of this.#replaySeqs(from, to, this.#closing.signal)) {
      yield this.#recordedFromMessage(message, seq);
      seq++;
    }
    if (seq > to) return;
    // The replay stopped early: the log was closed under the reader, or the stream lost messages.
    if (this.#closed) throw new LogClosedError(this.runId);
    throw this.#corruption(this.#index.entry(seq).location, `replay ended before seq ${seq} of ${to}`);
  }

  async *tail(options: TailOptions = {}): AsyncGenerator<RecordedEvent> {
    const { from = 1 } = options;
    assert(Number.isInteger(from) && from >= 1, `tail from must be an integer >= 1, got ${from}`);
    this.#assertOpen();
    const signals = [this.#closing.signal, ...(options.signal === undefined ? [] : [options.signal])];
    const signal = AbortSignal.any(signals);
    if (from > this.#index.headSeq + 1) await this.#queue.run(() => this.#catchUp());
    // Start at a seq whose predecessor the index knows, so every delivered event is chain-checked.
    let seq = Math.min(from, this.#index.headSeq + 1);
    for await (const message of this.#replaySeqs(seq, undefined, signal)) {
      const recorded = await this.#learn(message, seq);
      if (seq >= from) yield recorded;
      seq++;
      if (signal.aborted) return;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#queue.drain();
    this.#closed = true;
    this.#closing.abort();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** A stale index would turn a retry into a partial conflict or an expectedSeq ahead of it into one. */
  #indexMayBeStale(drafts: readonly EventDraft[], options: AppendOptions): boolean {
    if (options.expectedSeq !== undefined && options.expectedSeq > this.#index.headSeq) return true;
    const present = drafts.filter((draft) => this.#index.seqOf(draft.id) !== undefined).length;
    return present > 0 && present < drafts.length;
  }

  /**
   * Publishes the planned events: pipelined (#publishPipelined), then one by one from the first event
   * the pipeline did not store, each conditional on the previous one being the run's last.
   */
  async #publishAll(events: readonly EncodedEvent[]): Promise<PublishOutcome> {
    let position = 0;
    if (events.length > 1) {
      position = await this.#publishPipelinedWindows(events);
      if (position === events.length) return "stored";
      // The pipeline stopped early: later events of the batch may have landed (a duplicate of an
      // earlier attempt is followed by its successors), so learn what the run holds before going on.
      await this.#catchUp();
    }
    let found = false;
    for (; position < events.length; position++) {
      const encoded = events[position];
      assert(encoded !== undefined);
      const outcome =
        this.#index.headSeq >= encoded.event.seq
          ? this.#landedOutcome(encoded.event, encoded.contentHash)
          : await this.#publishOne(encoded);
      found ||= outcome === "found";
      if (outcome !== "moved") continue;
      if (position === 0) return "moved";
      // Part of this batch is in the log and another writer's events follow it.
      const presentIds = events.slice(0, position).map(({ event }) => event.id);
      throw new AppendConflictError(this.runId, encoded.event.seq - 1, this.#index.headSeq, presentIds);
    }
    return found ? "found" : "stored";
  }

  /** Pipelines the batch a window at a time; returns how many events, from the first, were stored. */
  async #publishPipelinedWindows(events: readonly EncodedEvent[]): Promise<number> {
    let position = 0;
    while (position < events.length) {
      const window = events.slice(position, position + pipelineWindowMax);
      const stored = await this.#publishPipelined(window);
      position += stored;
      if (stored < window.length) break;
    }
    return position;
  }

  /**
   * Publishes consecutive events without waiting for each acknowledgement, and returns how many of
   * them, from the first, were stored (each now in the index). The first is conditional on the run's
   * last stream sequence (the optimistic concurrency check); each later one on the stream's last
   * message id being its predecessor's (Nats-Expected-Last-Msg-Id), since its predecessor's stream
   * sequence is not known before that ack. So the server stores an event only directly after the one
   * before it: whatever lands is a gap-free prefix of the batch, in order, even if the process dies
   * mid-batch or another run's message comes between (that refuses the rest, which then go one by one).
   * Why the errors are not thrown here: a refused, duplicate or failed publish only ends the
   * pipeline; the one-by-one path that follows publishes the same event again, retrying transient
   * errors and throwing any other.
   */
  async #publishPipelined(events: readonly EncodedEvent[]): Promise<number> {
    const lastSubjectSequence = this.#lastStreamSequence();
    const acks = await Promise.allSettled(
      events.map(({ event, bytes }, position) =>
        this.#connection.jetstream.publish(this.subject, bytes, {
          msgID: event.id,
          expect:
            position === 0 ? { lastSubjectSequence } : { lastMsgID: events[position - 1]?.event.id ?? "" },
          timeout: this.#publishAckTimeoutMs,
        }),
      ),
    );
    let stored = 0;
    for (const [position, settled] of acks.entries()) {
      if (settled.status === "rejected" || settled.value.duplicate) break;
      const encoded = events[position];
      assert(encoded !== undefined);
      this.#indexPublished(encoded, settled.value);
      stored++;
    }
    return stored;
  }

  async #publishOne(encoded: EncodedEvent): Promise<PublishOutcome> {
    const { event, bytes, contentHash } = encoded;
    assert.equal(event.seq, this.#index.headSeq + 1, "an append publishes the next seq");
    const lastSubjectSequence = this.#lastStreamSequence();
    let ack: PubAck;
    try {
      ack = await retryTransient(
        this.#connection,
        { operation: `append of run ${this.runId} seq ${event.seq}`, deadlineMs: this.#retryDeadlineMs },
        () =>
          this.#connection.jetstream.publish(this.subject, bytes, {
            msgID: event.id,
            expect: { lastSubjectSequence },
            timeout: this.#publishAckTimeoutMs,
          }),
      );
    } catch (error) {
      if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.StreamWrongLastSequence)
        throw error;
      return this.#landedAfterCatchUp(event, contentHash);
    }
    // A duplicate: a message with this id is stored already (an earlier attempt whose ack was lost, or
    // another writer); where it is, only the stream can tell.
    if (ack.duplicate) return this.#landedAfterCatchUp(event, contentHash);
    this.#indexPublished(encoded, ack);
    return "stored";
  }

  /** Adds a stored (not duplicate) publish of the index's next seq. */
  #indexPublished({ event, contentHash }: EncodedEvent, ack: PubAck): void {
    assert.equal(ack.stream, eventStreamName, `publish to ${this.subject} landed in stream ${ack.stream}`);
    assert.equal(event.seq, this.#index.headSeq + 1, "a publish stores the next seq");
    assert(ack.seq > this.#lastStreamSequence(), `stream sequence ${ack.seq} is not after the index's last`);
    this.#index.add(event.id, contentHash, ack.seq);
  }

  /** After a refused or duplicate publish: is this exact event now at its seq (our own earlier attempt)? */
  async #landedAfterCatchUp(event: MmzeroEvent, contentHash: string): Promise<PublishOutcome> {
    await this.#catchUp();
    return this.#landedOutcome(event, contentHash);
  }

  /** For an event whose seq the index holds: "found" if it is this exact event, else "moved". */
  #landedOutcome(event: MmzeroEvent, contentHash: string): PublishOutcome {
    const seq = this.#index.seqOf(event.id);
    const landed = seq === event.seq && this.#index.entry(seq).contentHash === contentHash;
    return landed ? "found" : "moved";
  }

  /** Brings the index up to the run's last message in the stream (validating each new event). */
  async #catchUp(): Promise<void> {
    const last = await retryTransient(
      this.#connection,
      { operation: `head of run ${this.runId}`, deadlineMs: this.#retryDeadlineMs },
      () => this.#connection.manager.streams.getMessage(eventStreamName, { last_by_subj: this.subject }),
    );
    const lastStreamSequence = last?.seq ?? 0;
    const known = this.#lastStreamSequence();
    if (lastStreamSequence === known) return;
    if (lastStreamSequence < known) {
      throw this.#corruption(
        known,
        `the run's last message is now at ${lastStreamSequence}: messages were removed`,
      );
    }
    const messages = replaySubject(this.#connection, {
      stream: eventStreamName,
      subject: this.subject,
      fromStreamSequence: known + 1,
      toStreamSequence: lastStreamSequence,
      ...this.#replay,
    });
    for await (const message of messages) this.#indexNew(message);
    if (this.#lastStreamSequence() < lastStreamSequence) {
      throw this.#corruption(lastStreamSequence, `replay ended at ${this.#lastStreamSequence()}`);
    }
  }

  /** Validates a message that follows the index's head and adds it (paired with encodeEvent at append). */
  #indexNew(message: SubjectMessage): RecordedEvent {
    const seq = this.#index.headSeq + 1;
    const at = message.streamSequence;
    assert(at > this.#lastStreamSequence(), `stream sequence ${at} is not after the index's last`);
    let decoded: ReturnType<typeof decodeEvent>;
    try {
      decoded = decodeEvent(message.data);
    } catch (error) {
      if (!(error instanceof EventDecodeError)) throw error;
      throw this.#corruption(at, `seq ${seq} does not decode: ${error.reason}`);
    }
    const { event, contentHash } = decoded;
    if (event.runId !== this.runId) throw this.#corruption(at, `seq ${seq} belongs to run ${event.runId}`);
    if (event.seq !== seq) throw this.#corruption(at, `expected seq ${seq}, found ${event.seq}`);
    if (event.id !== message.msgId)
      throw this.#corruption(at, `event id ${event.id} != Nats-Msg-Id ${message.msgId}`);
    const earlier = this.#index.seqOf(event.id);
    if (earlier !== undefined) throw this.#corruption(at, `seq ${seq} repeats the id of seq ${earlier}`);
    const entry = this.#index.add(event.id, contentHash, at);
    return { event, contentHash, chainHash: entry.chainHash };
  }

  /** A tailed message: checked against the index, or indexed if it is new (serialized with appends). */
  async #learn(message: SubjectMessage, seq: number): Promise<RecordedEvent> {
    if (seq <= this.#index.headSeq) return this.#recordedFromMessage(message, seq);
    return this.#queue.run(async () =>
      seq <= this.#index.headSeq ? this.#recordedFromMessage(message, seq) : this.#indexNew(message),
    );
  }

  #recordedFromMessage(message: SubjectMessage, seq: number): RecordedEvent {
    const entry = this.#index.entry(seq);
    if (entry.location !== message.streamSequence) {
      throw this.#corruption(
        message.streamSequence,
        `seq ${seq} was indexed at stream sequence ${entry.location}`,
      );
    }
    return recordedFromBytes(message.data, seq, entry, () => this.#source(message.streamSequence));
  }

  /** Replays seqs from `from` (known to the index, or its head + 1) to `to` (known), or live when absent. */
  #replaySeqs(from: number, to: number | undefined, signal: AbortSignal): AsyncGenerator<SubjectMessage> {
    const headSeq = this.#index.headSeq;
    assert(from <= headSeq + 1, `replay from ${from} is beyond the index head ${headSeq} + 1`);
    return replaySubject(this.#connection, {
      stream: eventStreamName,
      subject: this.subject,
      fromStreamSequence: from <= headSeq ? this.#index.entry(from).location : this.#lastStreamSequence() + 1,
      ...(to === undefined ? {} : { toStreamSequence: this.#index.entry(to).location }),
      signal,
      ...this.#replay,
    });
  }

  async #recordedAt(seq: number): Promise<RecordedEvent> {
    const streamSequence = this.#index.entry(seq).location;
    const stored = await retryTransient(
      this.#connection,
      { operation: `read of run ${this.runId} seq ${seq}`, deadlineMs: this.#retryDeadlineMs },
      () => this.#connection.manager.streams.getMessage(eventStreamName, { seq: streamSequence }),
    );
    if (stored === null) throw this.#corruption(streamSequence, `seq ${seq} is missing from the stream`);
    return recordedFromBytes(stored.data, seq, this.#index.entry(seq), () => this.#source(streamSequence));
  }

  async #recordedAtAll(seqs: readonly number[]): Promise<RecordedEvent[]> {
    const recorded: RecordedEvent[] = [];
    for (const seq of seqs) recorded.push(await this.#recordedAt(seq));
    return recorded;
  }

  async #storedEvent(seq: number): Promise<MmzeroEvent> {
    return (await this.#recordedAt(seq)).event;
  }

  #recordedOf(events: readonly EncodedEvent[]): RecordedEvent[] {
    return events.map(({ event, contentHash }) => {
      const entry = this.#index.entry(event.seq);
      assert.equal(entry.id, event.id);
      return { event, contentHash, chainHash: entry.chainHash };
    });
  }

  #lastStreamSequence(): number {
    const headSeq = this.#index.headSeq;
    return headSeq === 0 ? 0 : this.#index.entry(headSeq).location;
  }

  #source(streamSequence: number) {
    return {
      location: `JetStream stream ${eventStreamName}, subject ${this.subject}, stream sequence ${streamSequence}`,
      offset: 0,
    };
  }

  #corruption(streamSequence: number, reason: string): LogCorruptionError {
    const { location, offset } = this.#source(streamSequence);
    return new LogCorruptionError(location, offset, reason);
  }

  #assertOpen(): void {
    if (this.#closed) throw new LogClosedError(this.runId);
  }
}

/**
 * Opens the JetStream event log of one run: creates MMZERO_EVENTS if absent, refuses it if its
 * settings could drop events (StreamSettingsError), then loads and verifies the run's events.
 */
export async function openJetStreamLog(
  connection: JetStreamConnection,
  runId: string,
  options: JetStreamLogOptions = {},
): Promise<JetStreamEventLog> {
  const duplicateWindowMs = options.duplicateWindowMs ?? eventDuplicateWindowMsDefault;
  await ensureStream(connection, eventStreamConfig(duplicateWindowMs), eventStreamViolations);
  const log = new JetStreamEventLog(connection, runId, options);
  await log.load();
  return log;
}
