/**
 * The BlobStore adapters. Goal: bytes come back exactly as put, under their SHA-256; a put is
 * idempotent; damage is BlobCorruptionError and a missing blob BlobNotFoundError. The file store
 * appends to its own pack, finds what it and other writers wrote (after a reopen, and as a reader
 * opened earlier), reads the legacy per-file layout, skips a torn tail and refuses other damage.
 * Method: the same checks run against the memory and the file store; the file store's packs are
 * then read, truncated and damaged on disk.
 */
import assert from "node:assert/strict";
import { mkdir, readdir, readFile, stat, truncate, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import fc from "fast-check";
import { sha256Hex } from "../../src/events/index.ts";
import { packHeaderBytes } from "../../src/store/blob-pack-format.ts";
import {
  BlobCorruptionError,
  BlobNotFoundError,
  BlobPackCorruptionError,
  type BlobStore,
  BlobStoreClosedError,
  FileBlobStore,
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

/** The pack files of a blob directory, by name. */
async function packFiles(directory: string): Promise<string[]> {
  return (await readdir(join(directory, "packs"))).sort();
}

/** Where a blob's bytes start in the only pack: found by searching the pack for them. */
async function packedOffset(directory: string, bytes: Uint8Array): Promise<number> {
  const pack = await readFile(join(directory, "packs", "000001.pack"));
  const offset = pack.indexOf(Buffer.from(bytes));
  assert.ok(offset > 0, "the blob is in the pack");
  return offset;
}

describe("file blob store on disk", () => {
  test("blobs are appended to one pack (no file a blob, nothing in the legacy layout)", async () => {
    await using directory = await makeTempDir("blob-layout");
    await using store = await openFileBlobStore(directory.path);
    const hashes = await Promise.all(
      Array.from({ length: 12 }, (_, index) => store.put(new TextEncoder().encode(`blob ${index % 6}`))),
    );
    assert.equal(new Set(hashes).size, 6);
    assert.deepEqual(await readdir(directory.path), ["packs"]);
    assert.deepEqual(await packFiles(directory.path), ["000001.pack"]);
    const pack = await readFile(join(directory.path, "packs", "000001.pack"));
    // Six distinct blobs of 6 bytes ("blob 0".."blob 5"), each written once.
    assert.equal(pack.length, 6 * (packHeaderBytes + 6));
  });

  test("property: a store reopened on the directory finds every blob", async () => {
    await using directory = await makeTempDir("blob-reopen");
    const written: Uint8Array[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 2048 }), { maxLength: 6 }), async (batch) => {
        await using store = await openFileBlobStore(directory.path);
        await Promise.all(batch.map((bytes) => store.put(bytes)));
        written.push(...batch);
        await using reopened = await openFileBlobStore(directory.path);
        for (const bytes of written) assert.deepEqual(await reopened.get(sha256Hex(bytes)), bytes);
      }),
      { numRuns: 15 },
    );
  });

  test("a put of a blob already there writes nothing, in this store or in one opened later", async () => {
    await using directory = await makeTempDir("blob-idempotent");
    const bytes = new TextEncoder().encode("a rendered image");
    {
      await using store = await openFileBlobStore(directory.path);
      await store.put(bytes);
      const size = (await stat(join(directory.path, "packs", "000001.pack"))).size;
      await Promise.all([store.put(bytes), store.put(Uint8Array.from(bytes))]);
      assert.equal((await stat(join(directory.path, "packs", "000001.pack"))).size, size);
    }
    await using reopened = await openFileBlobStore(directory.path);
    await reopened.put(bytes);
    assert.deepEqual(await packFiles(directory.path), ["000001.pack"], "no new pack: nothing was written");
  });

  test("a reader opened before the writes finds them (it rescans on a miss), new packs included", async () => {
    await using directory = await makeTempDir("blob-reader");
    const reader = new FileBlobStore(directory.path);
    const early = Uint8Array.of(1, 2, 3);
    assert.equal(await reader.has(sha256Hex(early)), false, "nothing yet; the directory may not even exist");
    {
      await using writer = await openFileBlobStore(directory.path);
      await writer.put(early);
      assert.deepEqual(await reader.get(sha256Hex(early)), early);
      const later = Uint8Array.of(4, 5, 6);
      await writer.put(later);
      assert.ok(await reader.has(sha256Hex(later)));
    }
    await using second = await openFileBlobStore(directory.path);
    const fromSecond = Uint8Array.of(7, 8, 9);
    await second.put(fromSecond);
    assert.deepEqual(
      await packFiles(directory.path),
      ["000001.pack", "000002.pack"],
      "a writer never appends to another's pack",
    );
    assert.deepEqual(await reader.get(sha256Hex(fromSecond)), fromSecond);
  });

  test("two writers on one directory each append to their own pack, and each reads the other's blobs", async () => {
    await using directory = await makeTempDir("blob-writers");
    await using first = await openFileBlobStore(directory.path);
    await using second = await openFileBlobStore(directory.path);
    const [a, b] = [new TextEncoder().encode("from the run"), new TextEncoder().encode("from a replay")];
    await Promise.all([first.put(a), second.put(b)]);
    assert.deepEqual(await packFiles(directory.path), ["000001.pack", "000002.pack"]);
    assert.deepEqual(await first.get(sha256Hex(b)), b);
    assert.deepEqual(await second.get(sha256Hex(a)), a);
  });

  test("blobs in the legacy layout (<first two hex>/<hash>) are read, and a put of one writes nothing", async () => {
    await using directory = await makeTempDir("blob-legacy");
    const bytes = new TextEncoder().encode("a blob from before packs");
    const hash = sha256Hex(bytes);
    await mkdir(join(directory.path, hash.slice(0, 2)));
    await writeFile(join(directory.path, hash.slice(0, 2), hash), bytes);
    await using store = await openFileBlobStore(directory.path);
    assert.ok(await store.has(hash));
    assert.deepEqual(await store.get(hash), bytes);
    assert.equal(await store.put(bytes), hash);
    assert.deepEqual(await readdir(directory.path), [hash.slice(0, 2)], "no pack was made");
    const damaged = Buffer.from(bytes);
    damaged[0] = (damaged[0] ?? 0) ^ 0xff;
    await writeFile(join(directory.path, hash.slice(0, 2), hash), damaged);
    await assert.rejects(store.get(hash), BlobCorruptionError);
    await store.put(bytes);
    assert.deepEqual(
      await store.get(hash),
      bytes,
      "a put of a damaged legacy blob writes a pack copy, read first",
    );
  });

  test("the committed fixture runs' blobs are all readable", async () => {
    for (const run of ["smoke-v1", "smoke-v2"]) {
      const directory = join(import.meta.dirname, "../fixtures/runs", run, "blobs");
      const store = new FileBlobStore(directory);
      for (const folder of await readdir(directory))
        for (const hash of await readdir(join(directory, folder)))
          assert.equal(sha256Hex(await store.get(hash)), hash);
    }
  });

  test("a damaged blob is BlobCorruptionError naming both hashes; a put from another store repairs it", async () => {
    await using directory = await makeTempDir("blob-corrupt");
    const bytes = new TextEncoder().encode("checkpoint weights");
    let hash: string;
    {
      await using store = await openFileBlobStore(directory.path);
      hash = await store.put(bytes);
    }
    const path = join(directory.path, "packs", "000001.pack");
    const offset = await packedOffset(directory.path, bytes);
    const damaged = Buffer.from(bytes);
    damaged[3] = (damaged[3] ?? 0) ^ 0xff;
    const pack = await readFile(path);
    damaged.copy(pack, offset);
    await writeFile(path, pack);
    await using store = await openFileBlobStore(directory.path);
    const error = await store.get(hash).then(
      () => assert.fail("a damaged blob must fail"),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof BlobCorruptionError);
    assert.deepEqual([error.hash, error.actualHash], [hash, sha256Hex(damaged)]);
    assert.equal(await store.put(bytes), hash);
    assert.deepEqual(await store.get(hash), bytes);
    await using reopened = await openFileBlobStore(directory.path);
    assert.deepEqual(await reopened.get(hash), bytes, "the later copy is the one indexed");
  });

  test("a torn record at the end of a pack is skipped, and the next writer starts a new pack", async () => {
    await using directory = await makeTempDir("blob-torn");
    const [kept, torn] = [
      new TextEncoder().encode("acknowledged"),
      new TextEncoder().encode("being appended"),
    ];
    {
      await using store = await openFileBlobStore(directory.path);
      await store.put(kept);
      await store.put(torn);
    }
    const path = join(directory.path, "packs", "000001.pack");
    await truncate(path, (await stat(path)).size - 3);
    await using store = await openFileBlobStore(directory.path);
    assert.deepEqual(await store.get(sha256Hex(kept)), kept);
    assert.equal(await store.has(sha256Hex(torn)), false);
    await store.put(torn);
    assert.deepEqual(await packFiles(directory.path), ["000001.pack", "000002.pack"]);
    await using reopened = await openFileBlobStore(directory.path);
    assert.deepEqual(await reopened.get(sha256Hex(torn)), torn);
  });

  test("a damaged record header before the end of a pack is BlobPackCorruptionError, never skipped", async () => {
    await using directory = await makeTempDir("blob-pack-corrupt");
    const first = new TextEncoder().encode("first");
    {
      await using store = await openFileBlobStore(directory.path);
      await store.put(first);
      await store.put(new TextEncoder().encode("second"));
    }
    const path = join(directory.path, "packs", "000001.pack");
    const pack = await readFile(path);
    pack[10] = (pack[10] ?? 0) ^ 0xff;
    await writeFile(path, pack);
    await assert.rejects(openFileBlobStore(directory.path), BlobPackCorruptionError);
    await assert.rejects(new FileBlobStore(directory.path).get(sha256Hex(first)), BlobPackCorruptionError);
  });

  test("a pack deleted on disk: its blobs are BlobNotFoundError", async () => {
    await using directory = await makeTempDir("blob-deleted");
    await using store = await openFileBlobStore(directory.path);
    const hash = await store.put(Uint8Array.of(7, 7, 7));
    await unlink(join(directory.path, "packs", "000001.pack"));
    await assert.rejects(store.get(hash), BlobNotFoundError);
  });
});
