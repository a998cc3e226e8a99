import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { sha256Hex } from "../events/index.ts";
import { type BlobFileHandle, type BlobFiles, nodeBlobFiles } from "./blob-files.ts";
import { assertBlobHash } from "./blob-hash.ts";
import type { BlobStore } from "./blob-store.ts";
import { BlobCorruptionError, BlobNotFoundError, BlobStoreClosedError } from "./errors.ts";
import { errorCode, ignoreMissing } from "./file-system.ts";

/**
 * The content-addressed file BlobStore: each blob at `<directory>/<first two hex>/<hash>`. A put writes
 * a temporary file in the same folder, fsyncs it, renames it into place and fsyncs the folder, so a
 * blob is either absent or complete, and durable once `put` resolves. Reads verify the hash.
 *
 * Why a put neither looks for an existing copy nor creates the folder first: creating the file is what
 * a put costs (0.1-0.8 ms of kernel time each on the 2-core VM; every other call 5-20 µs), and the
 * engine's puts are nearly all of new blobs (RecentBlobs answers re-puts of what this process wrote),
 * so a read attempt and a `mkdir` per put were two more calls that almost never helped. The rename
 * replaces whatever copy is there, which also repairs a damaged one; the folder is created only when
 * creating the temporary file finds it missing.
 */
export class FileBlobStore implements BlobStore {
  readonly directory: string;
  #closed = false;
  #temporaryCount = 0;

  constructor(
    directory: string,
    private readonly files: BlobFiles = nodeBlobFiles,
  ) {
    this.directory = directory;
  }

  async put(bytes: Uint8Array): Promise<string> {
    this.#assertOpen();
    const hash = sha256Hex(bytes);
    const folder = join(this.directory, hash.slice(0, 2));
    this.#temporaryCount += 1;
    const temporaryPath = join(folder, `.${hash}.${process.pid}-${this.#temporaryCount}.tmp`);
    const temporary = await this.#createIn(folder, temporaryPath);
    try {
      await writeDurably(temporary, bytes);
      await this.files.rename(temporaryPath, this.#pathOf(hash));
    } catch (error) {
      await this.files.unlink(temporaryPath).catch(ignoreMissing);
      throw error;
    }
    await this.files.syncDirectory(folder);
    return hash;
  }

  async get(hash: string): Promise<Uint8Array> {
    this.#assertOpen();
    assertBlobHash(hash);
    let bytes: Buffer;
    try {
      bytes = await this.files.readFile(this.#pathOf(hash));
    } catch (error) {
      if (errorCode(error) === "ENOENT") throw new BlobNotFoundError(hash);
      throw error;
    }
    const actualHash = sha256Hex(bytes);
    if (actualHash !== hash) throw new BlobCorruptionError(hash, actualHash);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async has(hash: string): Promise<boolean> {
    this.#assertOpen();
    assertBlobHash(hash);
    try {
      return await this.files.isFile(this.#pathOf(hash));
    } catch (error) {
      if (errorCode(error) === "ENOENT") return false;
      throw error;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Creates the temporary file, and its folder only if that is missing (the first put there). */
  async #createIn(folder: string, temporaryPath: string): Promise<BlobFileHandle> {
    try {
      return await this.files.create(temporaryPath);
    } catch (error) {
      if (errorCode(error) !== "ENOENT") throw error;
    }
    await this.files.mkdir(folder);
    return this.files.create(temporaryPath);
  }

  #pathOf(hash: string): string {
    return join(this.directory, hash.slice(0, 2), hash);
  }

  #assertOpen(): void {
    if (this.#closed) throw new BlobStoreClosedError(this.directory);
  }
}

/** Writes and fsyncs an open temporary file, closing it whatever happens. */
async function writeDurably(handle: BlobFileHandle, bytes: Uint8Array): Promise<void> {
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Opens (creating if needed) a file blob store in `directory`. */
export async function openFileBlobStore(directory: string, files?: BlobFiles): Promise<FileBlobStore> {
  await mkdir(directory, { recursive: true });
  return new FileBlobStore(directory, files);
}
