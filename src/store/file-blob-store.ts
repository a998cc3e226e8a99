import { mkdir, open, readFile, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { sha256Hex } from "../events/index.ts";
import { assertBlobHash } from "./blob-hash.ts";
import type { BlobStore } from "./blob-store.ts";
import { BlobCorruptionError, BlobNotFoundError, BlobStoreClosedError } from "./errors.ts";
import { errorCode, ignoreMissing, syncDirectory } from "./file-system.ts";

/**
 * The content-addressed file BlobStore: each blob at `<directory>/<first two hex>/<hash>`. A put writes
 * a temporary file in the same folder, fsyncs it, renames it into place and fsyncs the folder, so a
 * blob is either absent or complete and durable. Reads verify the hash.
 */
export class FileBlobStore implements BlobStore {
  readonly directory: string;
  #closed = false;
  #temporaryCount = 0;

  constructor(directory: string) {
    this.directory = directory;
  }

  async put(bytes: Uint8Array): Promise<string> {
    this.#assertOpen();
    const hash = sha256Hex(bytes);
    // Why verify an existing blob: a put of the right bytes repairs a damaged copy.
    if (await this.#holdsIntact(hash)) return hash;
    const folder = join(this.directory, hash.slice(0, 2));
    await mkdir(folder, { recursive: true });
    this.#temporaryCount += 1;
    const temporaryPath = join(folder, `.${hash}.${process.pid}-${this.#temporaryCount}.tmp`);
    try {
      await writeDurably(temporaryPath, bytes);
      await rename(temporaryPath, this.#pathOf(hash));
    } catch (error) {
      await unlink(temporaryPath).catch(ignoreMissing);
      throw error;
    }
    await syncDirectory(folder);
    return hash;
  }

  async get(hash: string): Promise<Uint8Array> {
    this.#assertOpen();
    assertBlobHash(hash);
    let bytes: Buffer;
    try {
      bytes = await readFile(this.#pathOf(hash));
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
      return (await stat(this.#pathOf(hash))).isFile();
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

  async #holdsIntact(hash: string): Promise<boolean> {
    try {
      await this.get(hash);
      return true;
    } catch (error) {
      if (error instanceof BlobNotFoundError || error instanceof BlobCorruptionError) return false;
      throw error;
    }
  }

  #pathOf(hash: string): string {
    return join(this.directory, hash.slice(0, 2), hash);
  }

  #assertOpen(): void {
    if (this.#closed) throw new BlobStoreClosedError(this.directory);
  }
}

async function writeDurably(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, "wx");
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Opens (creating if needed) a file blob store in `directory`. */
export async function openFileBlobStore(directory: string): Promise<FileBlobStore> {
  await mkdir(directory, { recursive: true });
  return new FileBlobStore(directory);
}
