import type { EventDraft, MmzeroEvent } from "../events/index.ts";

/**
 * The EventLog port: one run's append-only, hash-chained event log. Adapters (memory, file,
 * JetStream) pass the same contract suite in test/store/contract.ts.
 *
 * Semantics every adapter guarantees:
 * - `seq` is assigned by the log: 1, 2, 3, ... with no gaps.
 * - Idempotent append by event id: appending an event whose id is already in the log returns the
 *   original record and appends nothing; a different event under an existing id is IdConflictError.
 *   A batch is idempotent only as a whole: every draft present (a retry) returns the originals;
 *   some present and some not is AppendConflictError.
 * - Optimistic concurrency: with `expectedSeq`, the append happens only if the log's head is exactly
 *   that seq (0 for an empty log); otherwise AppendConflictError. Retries of a fully present batch
 *   skip the check (they change nothing).
 * - Every event is validated and hashed before append and again after read (paired assertions).
 */
export interface RecordedEvent {
  readonly event: MmzeroEvent;
  /** SHA-256 of the stored version's canonical encoding without `at`. */
  readonly contentHash: string;
  /** SHA-256 chain link over every content hash up to and including this event. */
  readonly chainHash: string;
}

export interface LogHead {
  readonly seq: number;
  readonly chainHash: string;
}

export interface AppendOptions {
  /** The head seq the writer saw; the append fails with AppendConflictError if the log moved. */
  readonly expectedSeq?: number;
}

export interface ReadRange {
  /** First seq to read, inclusive. @default 1 */
  readonly from?: number;
  /** Last seq to read, inclusive. @default the head at the time of the call */
  readonly to?: number;
}

export interface TailOptions {
  /** First seq to deliver. @default 1 */
  readonly from?: number;
  /** Stops the tail; the iterator then ends without error. */
  readonly signal?: AbortSignal;
}

export interface EventLog extends AsyncDisposable {
  readonly runId: string;
  head(): Promise<LogHead>;
  append(drafts: readonly EventDraft[], options?: AppendOptions): Promise<readonly RecordedEvent[]>;
  read(range?: ReadRange): AsyncIterable<RecordedEvent>;
  /** Delivers every event from `from` on, in order and exactly once, then new ones as they are appended. */
  tail(options?: TailOptions): AsyncIterable<RecordedEvent>;
  close(): Promise<void>;
}
