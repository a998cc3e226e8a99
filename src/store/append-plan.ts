import assert from "node:assert/strict";
import { contentHash, type EventDraft, encodeEvent, type MmzeroEvent } from "../events/index.ts";
import { AppendConflictError, IdConflictError } from "./errors.ts";
import type { AppendOptions } from "./event-log.ts";
import type { LogIndex } from "./log-index.ts";

/** A validated, encoded event ready to be written at `event.seq`. */
export interface EncodedEvent {
  readonly event: MmzeroEvent;
  readonly bytes: Uint8Array;
  readonly contentHash: string;
}

/**
 * What an append must do: return the originals of a fully present batch (a retry), or write new
 * events in order after the head.
 */
export type AppendPlan =
  | { readonly kind: "retry"; readonly seqs: readonly number[] }
  | { readonly kind: "append"; readonly events: readonly EncodedEvent[] };

/** Reads the event stored at a seq (used only to compare a retry with an upcast stored version). */
export type StoredEventReader = (seq: number) => Promise<MmzeroEvent>;

/** A draft placed at a seq: the log, not the producer, assigns seqs. */
export function withSeq(draft: EventDraft, seq: number): MmzeroEvent {
  return { ...draft, seq };
}

/**
 * Decides what an append does, following the EventLog port's rules (event-log.ts): idempotency by id,
 * then optimistic concurrency, then validation and encoding of the new events. Writes nothing.
 */
export async function planAppend<Location>(
  index: LogIndex<Location>,
  runId: string,
  drafts: readonly EventDraft[],
  options: AppendOptions,
  readStoredEvent: StoredEventReader,
): Promise<AppendPlan> {
  assertBatchShape(runId, drafts, options);
  const head = index.headSeq;
  const presentSeqs: number[] = [];
  for (const draft of drafts) {
    const seq = index.seqOf(draft.id);
    if (seq === undefined) continue;
    if (!(await hasSameContent(draft, seq, index.entry(seq).contentHash, readStoredEvent))) {
      throw new IdConflictError(runId, draft.id, seq);
    }
    presentSeqs.push(seq);
  }
  if (drafts.length > 0 && presentSeqs.length === drafts.length) return { kind: "retry", seqs: presentSeqs };
  if (presentSeqs.length > 0) {
    const presentIds = drafts.filter((draft) => index.seqOf(draft.id) !== undefined).map((draft) => draft.id);
    throw new AppendConflictError(runId, options.expectedSeq ?? head, head, presentIds);
  }
  if (options.expectedSeq !== undefined && options.expectedSeq !== head) {
    throw new AppendConflictError(runId, options.expectedSeq, head);
  }
  const events = drafts.map((draft, position) => {
    const event = withSeq(draft, head + 1 + position);
    return { event, ...encodeEvent(event) };
  });
  return { kind: "append", events };
}

/**
 * Caller bugs, not operating conditions: they fail an assertion and append nothing. Hot path (every
 * append): messages are built only when a check fails.
 */
function assertBatchShape(runId: string, drafts: readonly EventDraft[], options: AppendOptions): void {
  const { expectedSeq } = options;
  if (!(expectedSeq === undefined || (Number.isInteger(expectedSeq) && expectedSeq >= 0)))
    assert.fail(`expectedSeq must be a non-negative integer, got ${expectedSeq}`);
  const ids = drafts.length > 1 ? new Set<string>() : undefined;
  for (const draft of drafts) {
    if (draft.runId !== runId)
      assert.fail(`event ${draft.id} belongs to run ${draft.runId}, not to this log's run`);
    if (ids === undefined) continue;
    if (ids.has(draft.id)) assert.fail(`event id ${draft.id} appears twice in one batch`);
    ids.add(draft.id);
  }
}

/** A retry may differ in `at` only: compare content hashes with the draft placed at the stored seq. */
async function hasSameContent(
  draft: EventDraft,
  seq: number,
  storedContentHash: string,
  readStoredEvent: StoredEventReader,
): Promise<boolean> {
  const { contentHash: draftHash } = encodeEvent(withSeq(draft, seq));
  if (draftHash === storedContentHash) return true;
  // Why a second look: the stored hash covers the stored schema version; an event written under an
  // older version and retried in the current one is the same event after upcasting.
  return draftHash === contentHash(await readStoredEvent(seq));
}
