import { crc32c } from "@node-rs/crc32";
import { eventBytesMax } from "../events/index.ts";

/**
 * The file log's on-disk format. A run directory holds segment files `events-000001.seg`,
 * `events-000002.seg`, ... Each segment is a sequence of records and nothing else:
 *
 *   [u32 little-endian: length of the event bytes][u32 little-endian: CRC32C of the event bytes][event bytes]
 *
 * The event bytes are the event's canonical JSON (src/events/canonical.ts), so a record's bytes are the
 * event's identity. Records never span segments; seqs run on across segments without gaps.
 */
export const recordHeaderBytes = 8;
/** The shortest canonical JSON object ("{}"); a real event is far longer. */
export const recordBodyBytesMin = 2;
export const recordBodyBytesMax = eventBytesMax;
/** Every event body is a JSON object, so its first byte is "{" (used to resynchronise after a bad record). */
export const recordBodyFirstByte = 0x7b;

const segmentNamePattern = /^events-(\d{6})\.seg$/;
export const segmentNumberMax = 999_999;

export function segmentName(segmentNumber: number): string {
  if (!Number.isInteger(segmentNumber) || segmentNumber < 1 || segmentNumber > segmentNumberMax) {
    throw new RangeError(`segment number ${segmentNumber} outside 1..${segmentNumberMax}`);
  }
  return `events-${String(segmentNumber).padStart(6, "0")}.seg`;
}

/** The segment number of a file name, or null for any other file. */
export function parseSegmentName(name: string): number | null {
  const match = segmentNamePattern.exec(name);
  return match?.[1] === undefined ? null : Number(match[1]);
}

/** Frames event bytes as one record. */
export function encodeRecord(body: Uint8Array): Buffer {
  return encodeRecords([body]);
}

/** Frames several events' bytes as consecutive records, in one buffer (no copy per record, then per batch). */
export function encodeRecords(bodies: readonly Uint8Array[]): Buffer {
  let length = 0;
  for (const body of bodies) length += recordHeaderBytes + body.length;
  const records = Buffer.allocUnsafe(length);
  let offset = 0;
  for (const body of bodies) {
    records.writeUInt32LE(body.length, offset);
    records.writeUInt32LE(crc32c(body), offset + 4);
    records.set(body, offset + recordHeaderBytes);
    offset += recordHeaderBytes + body.length;
  }
  return records;
}

export interface RecordHeader {
  readonly bodyBytes: number;
  readonly checksum: number;
}

export function readRecordHeader(buffer: Buffer, offset: number): RecordHeader {
  return { bodyBytes: buffer.readUInt32LE(offset), checksum: buffer.readUInt32LE(offset + 4) };
}

export function isValidBodyLength(bodyBytes: number): boolean {
  return bodyBytes >= recordBodyBytesMin && bodyBytes <= recordBodyBytesMax;
}

export function checksumMatches(body: Uint8Array, checksum: number): boolean {
  return crc32c(body) === checksum;
}
