/**
 * The file blob store's durability order. Goal: a put resolves only after its bytes and its name are
 * durable (the temporary file fsynced before the rename, the folder fsynced after it), because the
 * recorder appends an event naming the blob once the put resolves; the folder is created only when
 * missing; a failed write leaves no temporary file. Method: the store over a recording file-system
 * boundary (real files underneath), the calls and the put's resolution in one ordered journal.
 */
import assert from "node:assert/strict";
import { readdir, rm } from "node:fs/promises";
import { basename, join } from "node:path";
import { test } from "node:test";
import { sha256Hex } from "../../src/events/index.ts";
import {
  type BlobFileHandle,
  type BlobFiles,
  nodeBlobFiles,
  openFileBlobStore,
} from "../../src/store/index.ts";
import { makeTempDir } from "../support/temp-dir.ts";

/** A file name as journaled: temporary files as `tmp`, the rest by their last path segment. */
const nameOf = (path: string) => (basename(path).startsWith(".") ? "tmp" : basename(path).slice(0, 8));

/** nodeBlobFiles, journaling each call (after it succeeds) and optionally failing writes. */
function recordingFiles(journal: string[], options: { failWrites?: boolean } = {}): BlobFiles {
  return {
    async create(path) {
      const handle = await nodeBlobFiles.create(path);
      journal.push(`create ${nameOf(path)}`);
      const recorded: BlobFileHandle = {
        async writeFile(bytes) {
          if (options.failWrites) throw Object.assign(new Error("no space left"), { code: "ENOSPC" });
          await handle.writeFile(bytes);
          journal.push(`write ${nameOf(path)}`);
        },
        async sync() {
          await handle.sync();
          journal.push(`sync ${nameOf(path)}`);
        },
        async close() {
          await handle.close();
          journal.push(`close ${nameOf(path)}`);
        },
      };
      return recorded;
    },
    async rename(from, to) {
      await nodeBlobFiles.rename(from, to);
      journal.push(`rename ${nameOf(from)} ${nameOf(to)}`);
    },
    async mkdir(path) {
      await nodeBlobFiles.mkdir(path);
      journal.push(`mkdir ${nameOf(path)}`);
    },
    unlink: nodeBlobFiles.unlink,
    readFile: nodeBlobFiles.readFile,
    isFile: nodeBlobFiles.isFile,
    async syncDirectory(path) {
      await nodeBlobFiles.syncDirectory(path);
      journal.push(`sync folder ${nameOf(path)}`);
    },
  };
}

test("a put resolves after its file is fsynced, renamed into place and its folder fsynced, in that order", async () => {
  await using directory = await makeTempDir("blob-order");
  const journal: string[] = [];
  const store = await openFileBlobStore(directory.path, recordingFiles(journal));
  const bytes = new TextEncoder().encode("a rendered image");
  const hash = sha256Hex(bytes);
  const [name, folder] = [hash.slice(0, 8), hash.slice(0, 2)];
  await store.put(bytes);
  journal.push("put resolved");
  // The first put into a folder creates it after the temporary file's create finds it missing.
  assert.deepEqual(journal, [
    `mkdir ${folder}`,
    "create tmp",
    "write tmp",
    "sync tmp",
    "close tmp",
    `rename tmp ${name}`,
    `sync folder ${folder}`,
    "put resolved",
  ]);
  assert.deepEqual(await store.get(hash), bytes);
});

test("a put into an existing folder makes no mkdir; one into a folder deleted meanwhile recreates it", async () => {
  await using directory = await makeTempDir("blob-folder");
  const journal: string[] = [];
  const store = await openFileBlobStore(directory.path, recordingFiles(journal));
  const bytes = new TextEncoder().encode("checkpoint weights");
  const hash = await store.put(bytes);
  journal.length = 0;
  await store.put(Uint8Array.from(bytes));
  assert.ok(!journal.some((call) => call.startsWith("mkdir")), journal.join(", "));
  await rm(join(directory.path, hash.slice(0, 2)), { recursive: true });
  journal.length = 0;
  await store.put(bytes);
  assert.equal(journal[0], `mkdir ${hash.slice(0, 2)}`);
  assert.deepEqual(await store.get(hash), bytes);
});

test("a failed write rejects the put, renames nothing and leaves no temporary file", async () => {
  await using directory = await makeTempDir("blob-fail");
  const journal: string[] = [];
  const store = await openFileBlobStore(directory.path, recordingFiles(journal, { failWrites: true }));
  const bytes = Uint8Array.of(1, 2, 3);
  await assert.rejects(store.put(bytes), { code: "ENOSPC" });
  assert.ok(
    !journal.some((call) => call.startsWith("rename") || call.startsWith("sync folder")),
    journal.join(", "),
  );
  assert.deepEqual(await readdir(join(directory.path, sha256Hex(bytes).slice(0, 2))), []);
});
