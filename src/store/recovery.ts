import type { FileHandle } from "node:fs/promises";
import { open, readdir } from "node:fs/promises";
import { join } from "node:path";
import { decodeEvent, EventDecodeError, EventFromNewerVersionError } from "../events/index.ts";
import { LogCorruptionError, LogFromNewerVersionError, LogRunMismatchError } from "./errors.ts";
import { LogIndex } from "./log-index.ts";
import {
  checksumMatches,
  isValidBodyLength,
  parseSegmentName,
  readRecordHeader,
  recordBodyFirstByte,
  recordHeaderBytes,
  segmentName,
} from "./segment-format.ts";
import { readAt, scanRecords } from "./segment-reader.ts";

/** Where an event's record lies. */
export interface RecordLocation {
  readonly segment: number;
  readonly offset: number;
  readonly bodyBytes: number;
}

/** A torn last record found on open and cut off. */
export interface TornTail {
  readonly segment: string;
  readonly offset: number;
  readonly bytesDiscarded: number;
  readonly reason: string;
}

export interface RecoveredLog {
  readonly index: LogIndex<RecordLocation>;
  /** Number and size of the last segment (1 and 0 for a new log): where appends continue. */
  readonly lastSegment: { readonly number: number; readonly bytes: number };
  readonly segmentCount: number;
  readonly tornTail: TornTail | null;
}

/**
 * Rebuilds the index of a log directory: scans every segment, checks each record's CRC, decodes and
 * validates each event, checks seqs and ids and recomputes the chain. A bad record at the very end of
 * the last segment is a torn write and is truncated; a bad record anywhere else is LogCorruptionError.
 */
export async function recoverLog(directory: string, runId: string): Promise<RecoveredLog> {
  const numbers = await listSegments(directory);
  const index = new LogIndex<RecordLocation>();
  let tornTail: TornTail | null = null;
  let lastBytes = 0;
  for (const [position, segment] of numbers.entries()) {
    const isLast = position === numbers.length - 1;
    const handle = await open(join(directory, segmentName(segment)), isLast ? "r+" : "r");
    try {
      const scanned = await recoverSegment(handle, segment, isLast, { directory, runId, index });
      tornTail = scanned.tornTail;
      lastBytes = scanned.validBytes;
    } finally {
      await handle.close();
    }
  }
  return {
    index,
    lastSegment: { number: numbers.at(-1) ?? 1, bytes: lastBytes },
    segmentCount: numbers.length,
    tornTail,
  };
}

/** The segment numbers in the directory, checked to run 1, 2, ... without a gap. */
export async function listSegments(directory: string): Promise<number[]> {
  const numbers = (await readdir(directory))
    .map(parseSegmentName)
    .filter((segment) => segment !== null)
    .sort((left, right) => left - right);
  for (const [position, segment] of numbers.entries()) {
    if (segment !== position + 1) {
      throw new LogCorruptionError(join(directory, segmentName(position + 1)), 0, "segment file missing");
    }
  }
  return numbers;
}

interface RecoveryContext {
  readonly directory: string;
  readonly runId: string;
  readonly index: LogIndex<RecordLocation>;
}

async function recoverSegment(
  handle: FileHandle,
  segment: number,
  isLast: boolean,
  context: RecoveryContext,
): Promise<{ validBytes: number; tornTail: TornTail | null }> {
  const location = join(context.directory, segmentName(segment));
  const { size } = await handle.stat();
  if (size === 0 && !isLast) throw new LogCorruptionError(location, 0, "empty segment before the last one");
  for await (const items of scanRecords(handle, 0, size)) {
    for (const item of items) {
      if (item.kind === "record") {
        admitRecord(
          item.body,
          { segment, offset: item.offset, bodyBytes: item.body.length },
          location,
          context,
        );
        continue;
      }
      if (!isLast || (await hasValidRecordAfter(handle, item.offset, size))) {
        throw new LogCorruptionError(location, item.offset, item.reason);
      }
      await handle.truncate(item.offset);
      await handle.datasync();
      const bytesDiscarded = size - item.offset;
      return {
        validBytes: item.offset,
        tornTail: { segment: location, offset: item.offset, bytesDiscarded, reason: item.reason },
      };
    }
  }
  return { validBytes: size, tornTail: null };
}

/** Checks one CRC-valid record against the log so far and adds it to the index. */
function admitRecord(body: Buffer, where: RecordLocation, location: string, context: RecoveryContext): void {
  const { index, runId } = context;
  const decoded = decodeRecordBody(body, location, where.offset);
  const { event, contentHash } = decoded;
  if (event.runId !== runId) {
    if (index.headSeq === 0) throw new LogRunMismatchError(context.directory, runId, event.runId);
    throw new LogCorruptionError(
      location,
      where.offset,
      `event of run ${event.runId} in the log of run ${runId}`,
    );
  }
  const expectedSeq = index.headSeq + 1;
  if (event.seq !== expectedSeq) {
    throw new LogCorruptionError(location, where.offset, `expected seq ${expectedSeq}, found ${event.seq}`);
  }
  const firstSeq = index.seqOf(event.id);
  if (firstSeq !== undefined) {
    throw new LogCorruptionError(
      location,
      where.offset,
      `event id ${event.id} repeats the one at seq ${firstSeq}`,
    );
  }
  index.add(event.id, contentHash, where);
}

/** Decodes a CRC-valid record's event; failing that is corruption (the bytes were written that way). */
export function decodeRecordBody(
  body: Uint8Array,
  location: string,
  offset: number,
): ReturnType<typeof decodeEvent> {
  try {
    return decodeEvent(body);
  } catch (error) {
    if (error instanceof EventFromNewerVersionError)
      throw new LogFromNewerVersionError(location, offset, error);
    if (!(error instanceof EventDecodeError)) throw error;
    throw new LogCorruptionError(
      location,
      offset,
      `a record with a valid CRC does not decode: ${error.reason}`,
    );
  }
}

/**
 * Whether a valid record starts anywhere after a bad one. If so, the bad bytes are not the torn end
 * of an interrupted write but damage in the middle, which must never be cut off silently.
 */
export async function hasValidRecordAfter(
  handle: FileHandle,
  badOffset: number,
  size: number,
): Promise<boolean> {
  const tail = await readAt(handle, badOffset + 1, size - badOffset - 1);
  for (let cursor = 0; cursor + recordHeaderBytes < tail.length; cursor++) {
    // Why this order: the cheap first-byte test rejects almost every position before any CRC runs.
    if (tail[cursor + recordHeaderBytes] !== recordBodyFirstByte) continue;
    const { bodyBytes, checksum } = readRecordHeader(tail, cursor);
    const end = cursor + recordHeaderBytes + bodyBytes;
    if (!isValidBodyLength(bodyBytes) || end > tail.length) continue;
    if (checksumMatches(tail.subarray(cursor + recordHeaderBytes, end), checksum)) return true;
  }
  return false;
}
