/**
 * The BlobStore port: content-addressed bytes (PNG renders, checkpoints). A blob's name is the
 * SHA-256 hex of its bytes; `get` verifies the hash before returning (paired with `put`). A put
 * resolves once the blob is durable: the recorder appends an event naming it only then. Adapters:
 * memory (memory-blob-store.ts), files (pack files appended to, file-blob-store.ts), the JetStream
 * object store (jetstream/).
 */
export interface BlobStore extends AsyncDisposable {
  /** Stores the bytes (idempotent) and returns their SHA-256 hex. */
  put(bytes: Uint8Array): Promise<string>;
  /** The bytes under that hash; BlobNotFoundError or BlobCorruptionError otherwise. */
  get(hash: string): Promise<Uint8Array>;
  has(hash: string): Promise<boolean>;
  close(): Promise<void>;
}
