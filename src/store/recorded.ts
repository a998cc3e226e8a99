import { decodeValidatedEvent, EventDecodeError, type MmzeroEvent } from "../events/index.ts";
import { LogCorruptionError } from "./errors.ts";
import type { RecordedEvent } from "./event-log.ts";
import type { IndexEntry } from "./log-index.ts";

/** Where a stored event's bytes came from, for error messages. */
export interface ByteSource {
  readonly location: string;
  readonly offset: number;
}

/**
 * Decodes stored bytes and checks them against the index (paired with the checks before append):
 * a mismatch means the bytes changed after they were written. The index's hash is of bytes validated
 * at append or when the log was opened, so bytes that still hash to it are not schema-checked again
 * (decodeValidatedEvent).
 */
export function recordedFromBytes(
  bytes: Uint8Array,
  seq: number,
  entry: IndexEntry<unknown>,
  /** Called only to report a fault: building a location for every event read cost more than its check. */
  source: () => ByteSource,
): RecordedEvent {
  let decoded: ReturnType<typeof decodeValidatedEvent>;
  try {
    decoded = decodeValidatedEvent(bytes, entry.contentHash);
  } catch (error) {
    if (!(error instanceof EventDecodeError)) throw error;
    const { location, offset } = source();
    throw new LogCorruptionError(location, offset, `seq ${seq} does not decode: ${error.reason}`);
  }
  const mismatch = mismatchWithIndex(decoded.event, decoded.contentHash, seq, entry);
  if (mismatch !== null) {
    const { location, offset } = source();
    throw new LogCorruptionError(location, offset, mismatch);
  }
  return { event: decoded.event, contentHash: decoded.contentHash, chainHash: entry.chainHash };
}

function mismatchWithIndex(
  event: MmzeroEvent,
  contentHash: string,
  seq: number,
  entry: IndexEntry<unknown>,
): string | null {
  if (event.seq !== seq) return `expected seq ${seq}, found ${event.seq}`;
  if (event.id !== entry.id) return `seq ${seq}: expected id ${entry.id}, found ${event.id}`;
  if (contentHash !== entry.contentHash) {
    return `seq ${seq}: content hash ${contentHash} differs from ${entry.contentHash} recorded at append`;
  }
  return null;
}
