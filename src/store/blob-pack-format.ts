import assert from "node:assert/strict";
import { crc32c } from "@node-rs/crc32";
import { BlobPackCorruptionError } from "./errors.ts";

/**
 * The file blob store's pack format. A blob directory holds `packs/000001.pack`, `000002.pack`, ...;
 * each pack is a sequence of records and nothing else, each self-describing:
 *
 *   ["MZBP"][u8 version 1][32 bytes: SHA-256 of the blob][u32 LE: blob length][u32 LE: CRC32C of the 41 bytes before][blob bytes]
 *
 * The header's CRC lets a scan tell a damaged header (whose length it cannot trust) from a torn one;
 * the blob bytes are checked against their SHA-256 when read, not when scanned, so opening a store
 * reads the headers only (and skips the bytes of large blobs).
 */
const magic = Buffer.from("MZBP", "latin1");
const version = 1;
const hashOffset = magic.length + 1;
const lengthOffset = hashOffset + 32;
const checksumOffset = lengthOffset + 4;
export const packHeaderBytes = checksumOffset + 4;
/** Why a bound: the u32 length field (a Node Buffer is no larger anyway). */
const packBlobBytesMax = 0xffff_ffff;

const packNamePattern = /^(\d{6,})\.pack$/;

export function packName(packNumber: number): string {
  assert(Number.isSafeInteger(packNumber) && packNumber >= 1, `pack number ${packNumber} must be 1 or more`);
  return `${String(packNumber).padStart(6, "0")}.pack`;
}

/** The pack number of a file name, or null for any other file. */
export function parsePackName(name: string): number | null {
  const match = packNamePattern.exec(name);
  return match?.[1] === undefined ? null : Number(match[1]);
}

/** Frames a blob as one record; `hash` is the SHA-256 hex of `bytes`. */
export function encodePackRecord(hash: string, bytes: Uint8Array): Buffer {
  assert(bytes.length <= packBlobBytesMax, `a blob of ${bytes.length} bytes exceeds the pack limit`);
  const record = Buffer.allocUnsafe(packHeaderBytes + bytes.length);
  magic.copy(record, 0);
  record[magic.length] = version;
  record.write(hash, hashOffset, 32, "hex");
  record.writeUInt32LE(bytes.length, lengthOffset);
  record.writeUInt32LE(crc32c(record.subarray(0, checksumOffset)), checksumOffset);
  record.set(bytes, packHeaderBytes);
  return record;
}

/** Where a blob's bytes lie in a pack. */
export interface PackRecord {
  readonly hash: string;
  /** Offset of the blob's bytes (after the header). */
  readonly offset: number;
  readonly length: number;
}

export interface PackScan {
  readonly records: PackRecord[];
  /** Where the next scan continues: the end of the last whole record. */
  readonly scannedTo: number;
  /** An incomplete record (or zeros) from `scannedTo` to the end: a torn write, or one still under way. */
  readonly tornTail: string | null;
}

/** Reads up to `length` bytes at `position` (fewer only where the file ends). */
export type ReadAt = (position: number, length: number) => Promise<Buffer>;

/** Why: few reads for a pack of small blobs, a bounded buffer whatever the pack holds. */
const packScanChunkBytes = 1024 * 1024;

/**
 * Scans the records of a pack from `start` (a record boundary) to `size`, reading headers only.
 * A record cut off by the end of the file, or zeros from a record's start to the end (the file grew
 * but its bytes never landed), is a torn tail: an interrupted append, or one another process is
 * making right now; it is reported, not indexed, and the next scan retries from its start. Any other
 * bad header (wrong magic or version, a CRC mismatch, with non-zero bytes after it) is
 * BlobPackCorruptionError: it is never skipped.
 */
export async function scanPack(
  location: string,
  readAt: ReadAt,
  start: number,
  size: number,
  chunkBytes = packScanChunkBytes,
): Promise<PackScan> {
  assert(chunkBytes >= packHeaderBytes, "a scan chunk must hold a record header");
  const records: PackRecord[] = [];
  let position = start;
  let end = size;
  while (position < end) {
    const chunk = await readAt(position, Math.min(chunkBytes, end - position));
    // Why: a file shorter than its size said (changed under us) must end the scan, never loop.
    if (chunk.length < Math.min(chunkBytes, end - position)) end = position + chunk.length;
    let cursor = 0;
    while (position + cursor < end && cursor + packHeaderBytes <= chunk.length) {
      const header = chunk.subarray(cursor, cursor + packHeaderBytes);
      const fault = headerFault(header);
      const recordEnd = position + cursor + packHeaderBytes + header.readUInt32LE(lengthOffset);
      if (fault !== null || recordEnd > end) {
        const offset = position + cursor;
        return { records, scannedTo: offset, tornTail: await tornTail(location, readAt, offset, end, fault) };
      }
      records.push({
        hash: header.toString("hex", hashOffset, hashOffset + 32),
        offset: position + cursor + packHeaderBytes,
        length: recordEnd - (position + cursor + packHeaderBytes),
      });
      cursor = recordEnd - position;
    }
    if (position + cursor < end && cursor < chunk.length && end - (position + cursor) < packHeaderBytes) {
      // A header cut off by the end of the file.
      const offset = position + cursor;
      const partial = chunk.subarray(cursor);
      const prefix = Buffer.concat([magic, Buffer.of(version)]).subarray(0, partial.length);
      const fault = partial.subarray(0, prefix.length).equals(prefix) ? null : "not a record header";
      return { records, scannedTo: offset, tornTail: await tornTail(location, readAt, offset, end, fault) };
    }
    position += cursor;
  }
  return { records, scannedTo: position, tornTail: null };
}

/** Why a header is bad, or null when it is a record header. */
function headerFault(header: Buffer): string | null {
  if (!header.subarray(0, magic.length).equals(magic)) return "not a record header";
  if (crc32c(header.subarray(0, checksumOffset)) !== header.readUInt32LE(checksumOffset))
    return "record header CRC32C mismatch";
  const found = header[magic.length];
  if (found !== version) return `record version ${found} unknown (written by a newer mmzero?)`;
  return null;
}

/** The torn tail's description, or BlobPackCorruptionError when the bad bytes are not a torn write. */
async function tornTail(
  location: string,
  readAt: ReadAt,
  offset: number,
  end: number,
  fault: string | null,
): Promise<string> {
  if (fault === null) return `a record cut off by the end of the file after ${end - offset} bytes`;
  const rest = await readAt(offset, end - offset);
  if (rest.every((byte) => byte === 0)) return `${end - offset} zero bytes at the end of the file`;
  throw new BlobPackCorruptionError(location, offset, fault);
}
