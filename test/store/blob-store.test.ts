/**
 * The BlobStore adapters. Goal: bytes come back exactly as put, under their SHA-256; a put is
 * idempotent and atomic (no temporary files remain); damage is BlobCorruptionError and a missing
 * blob BlobNotFoundError. Method: the same checks run against the memory and the file store; the
 * file store's files are then damaged on disk.
 */
import assert from "node:assert/strict";
import { readdir, readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import fc from "fast-check";
import { sha256Hex } from "../../src/events/index.ts";
import {
  BlobCorruptionError,
  BlobNotFoundError,
  type BlobStore,
  BlobStoreClosedError,
  openFileBlobStore,
  openMemoryBlobStore,
} from "../../src/store/index.ts";
import { makeTempDir, tempDirPool } from "../support/temp-dir.ts";

const directories = tempDirPool("blobs");
after(() => directories.removeAll());

const absentHash = "0".repeat(64);

function runBlobStoreContract(name: string, openFresh: () => Promise<BlobStore>): void {
  describe(`BlobStore contract: ${name}`, () => {
    test("property: put returns the SHA-256 of the bytes and get returns them", async () => {
      await using store = await openFresh();
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
          const hash = await store.put(bytes);
          assert.equal(hash, sha256Hex(bytes));
          assert.ok(await store.has(hash));
          assert.deepEqual(await store.get(hash), bytes);
        }),
        { numRuns: 40 },
      );
    });

    test("put is idempotent, and the store keeps its own copy", async () => {
      await using store = await openFresh();
      const bytes = new TextEncoder().encode("a rendered image");
      const first = await store.put(bytes);
      assert.equal(await store.put(Uint8Array.from(bytes)), first);
      bytes[0] = 0;
      const got = await store.get(first);
      assert.equal(new TextDecoder().decode(got), "a rendered image");
      got[0] = 0;
      assert.equal(new TextDecoder().decode(await store.get(first)), "a rendered image");
    });

    test("a missing blob is BlobNotFoundError, and has() says false", async () => {
      await using store = await openFresh();
      assert.equal(await store.has(absentHash), false);
      const error = await store.get(absentHash).then(
        () => assert.fail("a missing blob must fail"),
        (caught: unknown) => caught,
      );
      assert.ok(error instanceof BlobNotFoundError);
      assert.equal(error.hash, absentHash);
    });

    test("a name that is not a SHA-256 hex is refused", async () => {
      await using store = await openFresh();
      await assert.rejects(store.get("../../etc/passwd"), assert.AssertionError);
      await assert.rejects(store.has("ABC"), assert.AssertionError);
    });

    test("after close every operation is BlobStoreClosedError", async () => {
      const store = await openFresh();
      const hash = await store.put(Uint8Array.of(1, 2, 3));
      await store.close();
      await assert.rejects(store.get(hash), BlobStoreClosedError);
      await assert.rejects(store.put(Uint8Array.of(4)), BlobStoreClosedError);
      await assert.rejects(store.has(hash), BlobStoreClosedError);
    });
  });
}

runBlobStoreContract("memory", async () => openMemoryBlobStore());
runBlobStoreContract("file", async () => openFileBlobStore(await directories.make()));

describe("file blob store on disk", () => {
  test("blobs live at <dir>/<first two hex>/<hash> and no temporary file remains", async () => {
    await using directory = await makeTempDir("blob-layout");
    await using store = await openFileBlobStore(directory.path);
    const hashes = await Promise.all(
      Array.from({ length: 12 }, (_, index) => store.put(new TextEncoder().encode(`blob ${index % 6}`))),
    );
    const unique = [...new Set(hashes)].sort();
    assert.equal(unique.length, 6);
    const files: string[] = [];
    for (const folder of (await readdir(directory.path)).sort()) {
      for (const name of await readdir(join(directory.path, folder))) files.push(`${folder}/${name}`);
    }
    assert.deepEqual(files.sort(), unique.map((hash) => `${hash.slice(0, 2)}/${hash}`).sort());
  });

  test("a damaged blob is BlobCorruptionError naming both hashes; a put of the right bytes repairs it", async () => {
    await using directory = await makeTempDir("blob-corrupt");
    await using store = await openFileBlobStore(directory.path);
    const bytes = new TextEncoder().encode("checkpoint weights");
    const hash = await store.put(bytes);
    const path = join(directory.path, hash.slice(0, 2), hash);
    const damaged = await readFile(path);
    damaged[3] = (damaged[3] ?? 0) ^ 0xff;
    await writeFile(path, damaged);
    const error = await store.get(hash).then(
      () => assert.fail("a damaged blob must fail"),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof BlobCorruptionError);
    assert.deepEqual([error.hash, error.actualHash], [hash, sha256Hex(damaged)]);
    assert.equal(await store.put(bytes), hash);
    assert.deepEqual(await store.get(hash), bytes);
  });

  test("a blob deleted on disk is BlobNotFoundError", async () => {
    await using directory = await makeTempDir("blob-deleted");
    await using store = await openFileBlobStore(directory.path);
    const hash = await store.put(Uint8Array.of(7, 7, 7));
    await unlink(join(directory.path, hash.slice(0, 2), hash));
    await assert.rejects(store.get(hash), BlobNotFoundError);
  });
});
