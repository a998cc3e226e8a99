import assert from "node:assert/strict";
import { sha256Hex } from "../events/index.ts";
import { assertBlobHash } from "./blob-hash.ts";
import type { BlobStore } from "./blob-store.ts";
import { BlobNotFoundError, BlobStoreClosedError } from "./errors.ts";

/** The in-memory BlobStore: copies bytes in and out, so callers cannot change what it holds. */
export class MemoryBlobStore implements BlobStore {
  readonly #blobs = new Map<string, Uint8Array>();
  #closed = false;

  async put(bytes: Uint8Array): Promise<string> {
    this.#assertOpen();
    const hash = sha256Hex(bytes);
    this.#blobs.set(hash, Uint8Array.from(bytes));
    return hash;
  }

  async get(hash: string): Promise<Uint8Array> {
    this.#assertOpen();
    assertBlobHash(hash);
    const bytes = this.#blobs.get(hash);
    if (bytes === undefined) throw new BlobNotFoundError(hash);
    // Why an assertion, not BlobCorruptionError: only a bug in this class could change a stored copy.
    assert.equal(sha256Hex(bytes), hash, `memory blob ${hash} changed after put`);
    return Uint8Array.from(bytes);
  }

  async has(hash: string): Promise<boolean> {
    this.#assertOpen();
    assertBlobHash(hash);
    return this.#blobs.has(hash);
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #assertOpen(): void {
    if (this.#closed) throw new BlobStoreClosedError("in memory");
  }
}

export function openMemoryBlobStore(): MemoryBlobStore {
  return new MemoryBlobStore();
}
