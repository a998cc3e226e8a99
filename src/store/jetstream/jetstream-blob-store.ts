import { createHash } from "node:crypto";
import { type ObjectStore, Objm, StorageType } from "@nats-io/obj";
import { sha256Hex } from "../../events/index.ts";
import { assertBlobHash } from "../blob-hash.ts";
import type { BlobStore } from "../blob-store.ts";
import { BlobCorruptionError, BlobNotFoundError, BlobStoreClosedError } from "../errors.ts";
import type { JetStreamConnection } from "./connection.ts";
import { StreamSettingsError } from "./errors.ts";
import { retentionViolations } from "./stream-settings.ts";
import { retryTransient } from "./transient.ts";

export const blobBucketName = "mmzero-blobs";

export interface JetStreamBlobStoreOptions {
  /** How long one operation keeps retrying through a server restart. @default 60000 */
  readonly retryDeadlineMs?: number;
}

/** The object store's own digest format, so an existing object can be compared without reading it. */
function objectDigest(bytes: Uint8Array): string {
  return `SHA-256=${createHash("sha256").update(bytes).digest("base64url")}=`;
}

/**
 * The BlobStore port on the JetStream object store (bucket mmzero-blobs, file storage, no TTL or
 * size limit): each blob is an object named by the SHA-256 hex of its bytes, verified on every get.
 */
export class JetStreamBlobStore implements BlobStore {
  readonly #connection: JetStreamConnection;
  readonly #bucket: ObjectStore;
  readonly #retryDeadlineMs: number;
  #closed = false;

  constructor(connection: JetStreamConnection, bucket: ObjectStore, options: JetStreamBlobStoreOptions) {
    this.#connection = connection;
    this.#bucket = bucket;
    this.#retryDeadlineMs = options.retryDeadlineMs ?? 60_000;
  }

  async put(bytes: Uint8Array): Promise<string> {
    this.#assertOpen();
    const hash = sha256Hex(bytes);
    const digest = objectDigest(bytes);
    await this.#retrying(`put of blob ${hash}`, async () => {
      const existing = await this.#bucket.info(hash);
      // Why compare digests: an object that claims other bytes (damaged, or written wrongly) is replaced.
      if (existing !== null && !existing.deleted && existing.digest === digest) return;
      await this.#bucket.putBlob({ name: hash }, bytes);
    });
    return hash;
  }

  async get(hash: string): Promise<Uint8Array> {
    this.#assertOpen();
    assertBlobHash(hash);
    const bytes = await this.#retrying(`get of blob ${hash}`, () => this.#bucket.getBlob(hash));
    if (bytes === null) throw new BlobNotFoundError(hash);
    const actualHash = sha256Hex(bytes);
    if (actualHash !== hash) throw new BlobCorruptionError(hash, actualHash);
    // Why a view: the client hands out a Buffer; callers get the port's plain Uint8Array.
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async has(hash: string): Promise<boolean> {
    this.#assertOpen();
    assertBlobHash(hash);
    const info = await this.#retrying(`lookup of blob ${hash}`, () => this.#bucket.info(hash));
    return info !== null && !info.deleted;
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #retrying<T>(operation: string, attempt: () => Promise<T>): Promise<T> {
    return retryTransient(this.#connection, { operation, deadlineMs: this.#retryDeadlineMs }, attempt);
  }

  #assertOpen(): void {
    if (this.#closed)
      throw new BlobStoreClosedError(`JetStream bucket ${blobBucketName} at ${this.#connection.url}`);
  }
}

/**
 * Opens (creating if absent) the blob bucket and refuses it (StreamSettingsError) when its stream
 * could lose blobs: a TTL, a size or count limit, memory storage.
 */
export async function openJetStreamBlobStore(
  connection: JetStreamConnection,
  options: JetStreamBlobStoreOptions = {},
): Promise<JetStreamBlobStore> {
  const bucket = await new Objm(connection.jetstream).create(blobBucketName, {
    storage: StorageType.File,
    replicas: 1,
    description: "mmzero blobs by SHA-256: renders, checkpoints",
  });
  const status = await bucket.status();
  const violations = retentionViolations(status.streamInfo.config);
  if (violations.length > 0) throw new StreamSettingsError(status.streamInfo.config.name, violations);
  return new JetStreamBlobStore(connection, bucket, options);
}
