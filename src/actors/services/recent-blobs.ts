import { sha256Hex } from "../../events/index.ts";
import type { BlobStore } from "../../store/index.ts";

/** Why 64 MiB: a phase's distinct renders (4 KiB of RGBA each) and a few checkpoints fit many times over. */
export const recentBlobBytesMax = 64 * 1024 * 1024;

/**
 * A BlobStore in front of another that keeps the bytes of the blobs this process put or read, least
 * recently used dropped first, up to a byte budget. Why: the Renderer puts an image and the Solver's
 * sampling reads it back moments later, the Trainer reads the checkpoint the previous update saved;
 * on the file store each such read is a file open, read and SHA-256. A hash names one content, so a
 * kept copy is never stale. A put of bytes not kept goes to the store (durability is the store's);
 * a put of kept bytes (the benchmark's images, rendered again at every evaluation) is already there,
 * written or read back whole by this process, and returns at once. A put of bytes whose put is still
 * in flight joins it and resolves when that one does (durable, or failed alike): a render batch often
 * holds identical images (6% of a quick run's puts), and on the file store each put creates a file,
 * its dearest step. Bytes are copied in and out, so no caller can change a kept copy.
 * Closing drops the copies and leaves the store open: its owner closes it.
 */
export class RecentBlobs implements BlobStore {
  readonly #kept = new Map<string, Uint8Array>();
  /** Puts that reached the store and have not settled, by hash. */
  readonly #putting = new Map<string, Promise<string>>();
  #keptBytes = 0;

  constructor(
    private readonly store: BlobStore,
    private readonly bytesMax = recentBlobBytesMax,
  ) {}

  async put(bytes: Uint8Array): Promise<string> {
    const known = sha256Hex(bytes);
    if (this.#kept.has(known)) return known;
    const inFlight = this.#putting.get(known);
    if (inFlight !== undefined) return inFlight;
    const copy = Uint8Array.from(bytes);
    const putting = this.store.put(copy).then((hash) => {
      this.#keep(hash, copy);
      return hash;
    });
    this.#putting.set(known, putting);
    try {
      return await putting;
    } finally {
      this.#putting.delete(known);
    }
  }

  async get(hash: string): Promise<Uint8Array> {
    const kept = this.#kept.get(hash);
    if (kept !== undefined) {
      // Re-insert: Map iteration order is insertion order, so the first key is the least recently used.
      this.#kept.delete(hash);
      this.#kept.set(hash, kept);
      return Uint8Array.from(kept);
    }
    const bytes = await this.store.get(hash);
    this.#keep(hash, Uint8Array.from(bytes));
    return bytes;
  }

  async has(hash: string): Promise<boolean> {
    return this.#kept.has(hash) || this.store.has(hash);
  }

  async close(): Promise<void> {
    this.#kept.clear();
    this.#keptBytes = 0;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #keep(hash: string, bytes: Uint8Array): void {
    if (bytes.byteLength > this.bytesMax || this.#kept.has(hash)) return;
    this.#kept.set(hash, bytes);
    this.#keptBytes += bytes.byteLength;
    for (const [oldest, oldestBytes] of this.#kept) {
      if (this.#keptBytes <= this.bytesMax) break;
      this.#kept.delete(oldest);
      this.#keptBytes -= oldestBytes.byteLength;
    }
  }
}
