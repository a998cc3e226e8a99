import type { FileHandle } from "node:fs/promises";
import { open, readdir } from "node:fs/promises";
import { join } from "node:path";
import { decodeEvent, EventDecodeError, EventFromNewerVersionError } from "../events/index.ts";
import { LogCorruptionError, LogFromNewerVersionError, LogRunMismatchError } from "./errors.ts";
import { checkDurableHead, readDurableHead } from "./log-head.ts";
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
  /** Whether the log had a head file (log-head.ts); false for a new log or one written before it existed. */
  readonly hadDurableHead: boolean;
}

/**
 * Rebuilds the index of a log directory: scans every segment, checks each record's CRC, decodes and
 * validates each event, checks seqs and ids, recomputes the chain and checks it against the head
 * file (no acknowledged event or segment may be missing). Only then is a torn last record (an
 * incomplete record at the very end of the last segment) truncated; any other bad record is
 * LogCorruptionError, and nothing is changed.
 */
export async function recoverLog(directory: string, runId: string): Promise<RecoveredLog> {
  // Why first: the head file only grows after the segments it names are durable.
  const durable = await readDurableHead(directory);
  const numbers = await listSegments(directory);
  const index = new LogIndex<RecordLocation>();
  let tornTail: TornTail | null = null;
  let lastBytes = 0;
  for (const [position, segment] of numbers.entries()) {
    const isLast = position === numbers.length - 1;
    const handle = await open(join(directory, segmentName(segment)), "r");
    try {
      const scanned = await recoverSegment(handle, segment, isLast, { directory, runId, index });
      tornTail = scanned.tornTail;
      lastBytes = scanned.validBytes;
    } finally {
      await handle.close();
    }
  }
  if (durable !== null) {
    checkDurableHead(directory, durable, {
      runId,
      segments: numbers,
      headSeq: index.headSeq,
      chainHashAt: (seq) => index.chainHashAt(seq),
    });
  }
  const last = numbers.at(-1);
  if (last !== undefined && (tornTail !== null || lastBytes > 0))
    await cutAndSync(join(directory, segmentName(last)), tornTail);
  return {
    index,
    lastSegment: { number: last ?? 1, bytes: lastBytes },
    segmentCount: numbers.length,
    tornTail,
    hadDurableHead: durable !== null,
  };
}

/**
 * Cuts the torn tail off and fsyncs the last segment either way: the head file written next claims
 * its records are durable, and a crashed writer's last records may still be only in the page cache.
 */
async function cutAndSync(path: string, tornTail: TornTail | null): Promise<void> {
  const handle = await open(path, "r+");
  try {
    if (tornTail !== null) await handle.truncate(tornTail.offset);
    await handle.datasync();
  } finally {
    await handle.close();
  }
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
      await assertTornTail(handle, { ...item, location, size, isLast });
      return {
        validBytes: item.offset,
        tornTail: {
          segment: location,
          offset: item.offset,
          bytesDiscarded: size - item.offset,
          reason: item.reason,
        },
      };
    }
  }
  return { validBytes: size, tornTail: null };
}

/** A bad record found by a scan, where it lies, and whether it is in the last segment. */
export interface ScanFault {
  readonly location: string;
  readonly offset: number;
  readonly reason: string;
  /** The record is cut off by the end of the file. */
  readonly incomplete: boolean;
  readonly size: number;
  readonly isLast: boolean;
}

/**
 * Returns when a bad record is a torn tail: an interrupted append leaves an incomplete record at
 * the end of the last segment (or zeros, where the file grew but its data never landed). Anything
 * else is LogCorruptionError: a complete record whose CRC fails, a bad length, a bad record with
 * valid records after it, damage in an earlier segment. Those are never cut off silently.
 */
export async function assertTornTail(handle: FileHandle, fault: ScanFault): Promise<void> {
  if (!fault.isLast) throw new LogCorruptionError(fault.location, fault.offset, fault.reason);
  if (await hasValidRecordAfter(handle, fault.offset, fault.size)) {
    throw new LogCorruptionError(
      fault.location,
      fault.offset,
      `${fault.reason}, with valid records after it`,
    );
  }
  if (fault.incomplete || (await isAllZeros(handle, fault.offset, fault.size))) return;
  throw new LogCorruptionError(
    fault.location,
    fault.offset,
    `${fault.reason} at the end of the log; an interrupted write leaves an incomplete record, not this, ` +
      `so the record was damaged after it was written. If it was never acknowledged, cut it off: truncate -s ${fault.offset} ${fault.location}`,
  );
}

async function isAllZeros(handle: FileHandle, offset: number, size: number): Promise<boolean> {
  const rest = await readAt(handle, offset, size - offset);
  return rest.every((byte) => byte === 0);
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
