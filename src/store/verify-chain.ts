import { chainGenesis, chainNext, contentHash, hasLegacyVersions } from "../events/index.ts";
import type { LogHead, RecordedEvent } from "./event-log.ts";

/** The first place where recorded events disagree with their recomputed seqs and hashes. */
export interface ChainMismatch {
  readonly ok: false;
  readonly seq: number;
  readonly field: "seq" | "contentHash" | "chainHash";
  readonly expected: string;
  readonly actual: string;
}

export interface ChainVerified {
  readonly ok: true;
  readonly head: LogHead;
  readonly count: number;
}

export type ChainVerification = ChainVerified | ChainMismatch;

export interface ChainStart {
  /** The head before the first event given (to verify a range). @default seq 0, the genesis hash */
  readonly after?: LogHead;
}

/**
 * Recomputes each event's content hash and the hash chain, and checks seqs run on without gaps.
 * Returns the first mismatch as a value (what was expected vs what is recorded), or the head.
 */
export async function verifyChain(
  events: AsyncIterable<RecordedEvent> | Iterable<RecordedEvent>,
  start: ChainStart = {},
): Promise<ChainVerification> {
  let head = start.after ?? { seq: 0, chainHash: chainGenesis };
  let count = 0;
  for await (const recorded of events) {
    const mismatch = firstMismatch(recorded, head);
    if (mismatch !== null) return mismatch;
    head = { seq: recorded.event.seq, chainHash: recorded.chainHash };
    count += 1;
  }
  return { ok: true, head, count };
}

function firstMismatch(recorded: RecordedEvent, previous: LogHead): ChainMismatch | null {
  const { event } = recorded;
  const seq = previous.seq + 1;
  if (event.seq !== seq)
    return { ok: false, seq, field: "seq", expected: String(seq), actual: String(event.seq) };
  // A type with older versions may be stored in one: its recorded hash covers the stored (older)
  // bytes, which the upcast event in hand cannot reproduce, so only the chain link is checked.
  // (Each adapter recomputes every content hash from the stored bytes when it reads them.)
  if (!hasLegacyVersions(event.type)) {
    const expected = contentHash(event);
    if (expected !== recorded.contentHash) {
      return { ok: false, seq, field: "contentHash", expected, actual: recorded.contentHash };
    }
  }
  const expected = chainNext(previous.chainHash, recorded.contentHash);
  if (expected !== recorded.chainHash)
    return { ok: false, seq, field: "chainHash", expected, actual: recorded.chainHash };
  return null;
}
