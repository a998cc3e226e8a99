/**
 * The blob pack format (src/store/blob-pack-format.ts). Goal: a scan finds every record where it was
 * written, whatever the chunk size; a pack cut anywhere inside its last record, or ending in zeros,
 * is a torn tail (the records before it found, the scan resuming at its start); a damaged header
 * anywhere else is BlobPackCorruptionError. Method: records encoded into a buffer and scanned
 * through an in-memory reader, with fast-check choosing the blobs, chunk sizes and cut points.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { crc32c } from "@node-rs/crc32";
import fc from "fast-check";
import { sha256Hex } from "../../src/events/index.ts";
import {
  encodePackRecord,
  packHeaderBytes,
  packName,
  parsePackName,
  type ReadAt,
  scanPack,
} from "../../src/store/blob-pack-format.ts";
import { BlobPackCorruptionError } from "../../src/store/index.ts";

const readerOf =
  (pack: Buffer): ReadAt =>
  async (position, length) =>
    pack.subarray(position, Math.min(pack.length, position + length));

function encodeAll(blobs: readonly Uint8Array[]): { pack: Buffer; starts: number[] } {
  const records = blobs.map((bytes) => encodePackRecord(sha256Hex(bytes), bytes));
  const starts: number[] = [];
  let offset = 0;
  for (const record of records) {
    starts.push(offset);
    offset += record.length;
  }
  return { pack: Buffer.concat(records), starts };
}

const blobsArbitrary = fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 8 });
const chunkArbitrary = fc.integer({ min: packHeaderBytes, max: 700 });

describe("blob pack format", () => {
  test("pack names round trip and other names are not packs", () => {
    assert.equal(packName(1), "000001.pack");
    assert.equal(parsePackName(packName(1_234_567)), 1_234_567);
    for (const name of ["1.pack", "000001.pack.tmp", "ab", "000001.seg"])
      assert.equal(parsePackName(name), null);
  });

  test("property: a scan finds every record, its hash, offset and length, whatever the chunk size", async () => {
    await fc.assert(
      fc.asyncProperty(blobsArbitrary, chunkArbitrary, async (blobs, chunkBytes) => {
        const { pack, starts } = encodeAll(blobs);
        const scan = await scanPack("p", readerOf(pack), 0, pack.length, chunkBytes);
        assert.deepEqual(scan, {
          records: blobs.map((bytes, index) => ({
            hash: sha256Hex(bytes),
            offset: starts[index]! + packHeaderBytes,
            length: bytes.length,
          })),
          scannedTo: pack.length,
          tornTail: null,
        });
        for (const [index, record] of scan.records.entries())
          assert.deepEqual(
            pack.subarray(record.offset, record.offset + record.length),
            Buffer.from(blobs[index]!),
          );
      }),
      { numRuns: 100 },
    );
  });

  test("property: a scan from a record boundary finds the records after it", async () => {
    await fc.assert(
      fc.asyncProperty(blobsArbitrary, fc.nat(), async (blobs, pick) => {
        const { pack, starts } = encodeAll(blobs);
        const from = pick % blobs.length;
        const scan = await scanPack("p", readerOf(pack), starts[from]!, pack.length);
        assert.deepEqual(
          scan.records.map((record) => record.hash),
          blobs.slice(from).map((bytes) => sha256Hex(bytes)),
        );
      }),
    );
  });

  test("property: a pack cut at every point inside its last record is a torn tail after the others", async () => {
    await fc.assert(
      fc.asyncProperty(blobsArbitrary, chunkArbitrary, async (blobs, chunkBytes) => {
        const { pack, starts } = encodeAll(blobs);
        const lastStart = starts.at(-1)!;
        for (let cut = lastStart + 1; cut < pack.length; cut++) {
          const torn = pack.subarray(0, cut);
          const scan = await scanPack("p", readerOf(torn), 0, torn.length, chunkBytes);
          assert.equal(scan.records.length, blobs.length - 1, `cut at ${cut}`);
          assert.equal(scan.scannedTo, lastStart);
          assert.match(scan.tornTail ?? "", /cut off/);
        }
      }),
      { numRuns: 30 },
    );
  });

  test("property: zeros after the last record (the file grew, its bytes never landed) are a torn tail", async () => {
    await fc.assert(
      fc.asyncProperty(blobsArbitrary, fc.integer({ min: 1, max: 200 }), async (blobs, zeros) => {
        const { pack } = encodeAll(blobs);
        const grown = Buffer.concat([pack, Buffer.alloc(zeros)]);
        const scan = await scanPack("p", readerOf(grown), 0, grown.length);
        assert.equal(scan.records.length, blobs.length);
        assert.equal(scan.scannedTo, pack.length);
        assert.notEqual(scan.tornTail, null);
      }),
    );
  });

  test("property: a damaged header before the last record is BlobPackCorruptionError at that record", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 200 }), { minLength: 2, maxLength: 6 }),
        fc.nat(),
        fc.integer({ min: 0, max: packHeaderBytes - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (blobs, pick, byte, flip) => {
          const { pack, starts } = encodeAll(blobs);
          const damaged = pick % (blobs.length - 1);
          const start = starts[damaged]!;
          const copy = Buffer.from(pack);
          copy[start + byte] = copy[start + byte]! ^ flip;
          const error = await scanPack("p", readerOf(copy), 0, copy.length).then(
            () => assert.fail("a damaged header must fail the scan"),
            (caught: unknown) => caught,
          );
          assert.ok(error instanceof BlobPackCorruptionError, String(error));
          assert.equal(error.offset, start);
        },
      ),
    );
  });

  test("a damaged last header with bytes that are not zeros is corruption, not a torn tail", async () => {
    const { pack, starts } = encodeAll([Uint8Array.of(1, 2, 3), Uint8Array.of(4, 5, 6)]);
    const copy = Buffer.from(pack);
    copy[starts[1]! + 10] = copy[starts[1]! + 10]! ^ 1;
    await assert.rejects(scanPack("p", readerOf(copy), 0, copy.length), BlobPackCorruptionError);
    const garbage = Buffer.concat([pack, Buffer.from("not a record")]);
    await assert.rejects(scanPack("p", readerOf(garbage), 0, garbage.length), BlobPackCorruptionError);
  });

  test("a record of a newer version is corruption naming the version", async () => {
    const record = encodePackRecord(sha256Hex(Uint8Array.of(1)), Uint8Array.of(1));
    record[4] = 2;
    record.writeUInt32LE(crc32c(record.subarray(0, packHeaderBytes - 4)), packHeaderBytes - 4);
    await assert.rejects(scanPack("p", readerOf(record), 0, record.length), /record version 2 unknown/);
  });
});
