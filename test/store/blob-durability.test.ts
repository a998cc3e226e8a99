/**
 * The file blob store's durability order. Goal: a put resolves only after its bytes are durable (the
 * pack's creation synced in its folder, and the packs folder's in the blob directory, before the
 * record is written; the record written and the pack synced before the put resolves), because the
 * recorder appends an event naming the blob once the put resolves; puts made while a sync is under
 * way share the next write and sync (group commit), each resolving after it; a failed write rejects
 * its put and the next put starts a new pack. Method: the store over a recording file-system
 * boundary (real files underneath), the calls and the puts' resolutions in one ordered journal.
 */
import assert from "node:assert/strict";
import { basename } from "node:path";
import { test } from "node:test";
import { sha256Hex } from "../../src/events/index.ts";
import { packHeaderBytes } from "../../src/store/blob-pack-format.ts";
import {
  type BlobFiles,
  BlobPackNumbersTakenError,
  nodeBlobFiles,
  openFileBlobStore,
} from "../../src/store/index.ts";
import { makeTempDir } from "../support/temp-dir.ts";

interface RecordingOptions {
  /** How many writes fail (with ENOSPC) before writes succeed again. */
  failWrites?: number;
  /** The first datasync waits for this before syncing. */
  holdFirstSync?: Promise<void>;
  /** Called after each write. */
  onWrite?: () => void;
}

/** nodeBlobFiles, journaling each writing call (after it succeeds); the blob directory as `blobs`. */
function recordingFiles(directory: string, journal: string[], options: RecordingOptions = {}): BlobFiles {
  const nameOf = (path: string) => (path === directory ? "blobs" : basename(path));
  let writesToFail = options.failWrites ?? 0;
  let hold = options.holdFirstSync;
  return {
    ...nodeBlobFiles,
    async create(path) {
      const handle = await nodeBlobFiles.create(path);
      journal.push(`create ${nameOf(path)}`);
      return {
        async write(bytes, position) {
          if (writesToFail > 0) {
            writesToFail -= 1;
            throw Object.assign(new Error("no space left"), { code: "ENOSPC" });
          }
          await handle.write(bytes, position);
          journal.push(`write ${nameOf(path)} ${bytes.length} bytes`);
          options.onWrite?.();
        },
        async datasync() {
          const waitFor = hold;
          hold = undefined;
          await waitFor;
          await handle.datasync();
          journal.push(`sync ${nameOf(path)}`);
        },
        async close() {
          await handle.close();
          journal.push(`close ${nameOf(path)}`);
        },
      };
    },
    async mkdir(path) {
      await nodeBlobFiles.mkdir(path);
      journal.push(`mkdir ${nameOf(path)}`);
    },
    async syncDirectory(path) {
      await nodeBlobFiles.syncDirectory(path);
      journal.push(`sync folder ${nameOf(path)}`);
    },
  };
}

/** The size of a blob's record in a pack. */
const recordBytes = (text: string) => packHeaderBytes + new TextEncoder().encode(text).length;

test("a put resolves after the pack is created and synced in its folder, and its record written and synced", async () => {
  await using directory = await makeTempDir("blob-order");
  const journal: string[] = [];
  const store = await openFileBlobStore(directory.path, recordingFiles(directory.path, journal));
  const text = "a rendered image";
  const bytes = new TextEncoder().encode(text);
  await store.put(bytes);
  journal.push("put resolved");
  assert.deepEqual(journal, [
    "mkdir packs",
    "sync folder blobs",
    "create 000001.pack",
    "sync folder packs",
    `write 000001.pack ${recordBytes(text)} bytes`,
    "sync 000001.pack",
    "put resolved",
  ]);
  journal.length = 0;
  await store.put(new TextEncoder().encode("another"));
  journal.push("put resolved");
  assert.deepEqual(journal, [
    `write 000001.pack ${recordBytes("another")} bytes`,
    "sync 000001.pack",
    "put resolved",
  ]);
  await store.close();
  assert.deepEqual(journal.at(-1), "close 000001.pack");
  await using reopened = await openFileBlobStore(directory.path);
  assert.deepEqual(await reopened.get(sha256Hex(bytes)), bytes);
});

test("puts made while a sync is under way share the next write and sync, and each resolves after it", async () => {
  await using directory = await makeTempDir("blob-group");
  const journal: string[] = [];
  let releaseSync = () => {};
  const holdFirstSync = new Promise<void>((resolve) => {
    releaseSync = resolve;
  });
  let firstWritten = () => {};
  const written = new Promise<void>((resolve) => {
    firstWritten = resolve;
  });
  await using store = await openFileBlobStore(
    directory.path,
    recordingFiles(directory.path, journal, { holdFirstSync, onWrite: () => firstWritten() }),
  );
  const put = (text: string) =>
    store.put(new TextEncoder().encode(text)).then(() => {
      journal.push(`resolved ${text}`);
    });
  const first = put("first");
  await written;
  const later = ["second", "third", "fourth"].map(put);
  // Why a macrotask: the later puts reach their batch in microtasks; only then is the sync let go.
  await new Promise(setImmediate);
  assert.ok(!journal.some((entry) => entry.startsWith("resolved")), "nothing resolves before its sync");
  releaseSync();
  await Promise.all([first, ...later]);
  const laterBytes = recordBytes("second") + recordBytes("third") + recordBytes("fourth");
  assert.deepEqual(journal.slice(journal.indexOf("sync folder packs") + 1), [
    `write 000001.pack ${recordBytes("first")} bytes`,
    "sync 000001.pack",
    "resolved first",
    `write 000001.pack ${laterBytes} bytes`,
    "sync 000001.pack",
    "resolved second",
    "resolved third",
    "resolved fourth",
  ]);
});

test("a failed write rejects its put and syncs nothing; the next put writes to a new pack", async () => {
  await using directory = await makeTempDir("blob-fail");
  const journal: string[] = [];
  await using store = await openFileBlobStore(
    directory.path,
    recordingFiles(directory.path, journal, { failWrites: 1 }),
  );
  const bytes = Uint8Array.of(1, 2, 3);
  await assert.rejects(store.put(bytes), { code: "ENOSPC" });
  assert.ok(!journal.some((call) => call.startsWith("sync 0")), journal.join(", "));
  assert.equal(await store.has(sha256Hex(bytes)), false);
  journal.length = 0;
  await store.put(bytes);
  assert.deepEqual(journal, [
    "create 000002.pack",
    "sync folder packs",
    `write 000002.pack ${packHeaderBytes + 3} bytes`,
    "sync 000002.pack",
  ]);
  assert.deepEqual(await store.get(sha256Hex(bytes)), bytes);
});

test("when other writers take every pack number it tries, a put fails with a typed error and writes nothing", async () => {
  await using directory = await makeTempDir("blob-taken");
  let attempts = 0;
  const taken: BlobFiles = {
    ...nodeBlobFiles,
    create: async () => {
      attempts += 1;
      throw Object.assign(new Error("file exists"), { code: "EEXIST" });
    },
  };
  await using store = await openFileBlobStore(directory.path, taken);
  await assert.rejects(store.put(Uint8Array.of(1)), BlobPackNumbersTakenError);
  assert.equal(attempts, 100);
  assert.equal(await store.has(sha256Hex(Uint8Array.of(1))), false);
});
