// Goal: the JetStream object-store BlobStore keeps bytes under their SHA-256, idempotently, across a
// server restart, verifies the hash on every get (and a put of the right bytes repairs a wrong
// object), and refuses a bucket that could expire blobs. Method: a real nats-server; a wrong object
// is planted directly through the object store API; a bucket with a TTL is pre-created.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Objm, StorageType } from "@nats-io/obj";
import { nanos } from "@nats-io/transport-node";
import fc from "fast-check";
import { sha256Hex } from "../../src/events/index.ts";
import { BlobCorruptionError, BlobNotFoundError, BlobStoreClosedError } from "../../src/store/index.ts";
import {
  blobBucketName,
  connectNats,
  type JetStreamConnection,
  openJetStreamBlobStore,
  StreamSettingsError,
} from "../../src/store/jetstream/index.ts";
import { type NatsServer, startNatsServer } from "../support/nats-server.ts";

let server: NatsServer;
let connection: JetStreamConnection;

before(async () => {
  server = await startNatsServer();
  connection = await connectNats(server.url, { reconnectDelayMinMs: 20, requestTimeoutMs: 1000 });
});

after(async () => {
  await connection.close();
  await server.stop();
});

const encoder = new TextEncoder();

describe("JetStream blob store", () => {
  test("put returns the SHA-256 hex; get returns the same bytes; has tells what is stored", async () => {
    await using blobs = await openJetStreamBlobStore(connection);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (bytes) => {
        const hash = await blobs.put(bytes);
        assert.equal(hash, sha256Hex(bytes));
        assert.equal(await blobs.has(hash), true);
        assert.deepEqual(await blobs.get(hash), bytes);
      }),
      { numRuns: 20 },
    );
    const absent = sha256Hex("never stored");
    assert.equal(await blobs.has(absent), false);
    await assert.rejects(blobs.get(absent), BlobNotFoundError);
    await assert.rejects(blobs.get("not-a-hash"), /64 lower-case hex/);
  });

  test("a put is idempotent, a multi-chunk blob round-trips, and blobs survive a server restart", async () => {
    await using blobs = await openJetStreamBlobStore(connection);
    const large = Uint8Array.from({ length: 300_000 }, (_, index) => (index * 7919) % 251);
    const hash = await blobs.put(large);
    await blobs.put(large);
    const bucket = await new Objm(connection.jetstream).open(blobBucketName);
    const info = await bucket.info(hash);
    assert(info !== null && info.chunks > 1, "stored in several chunks");
    const revision = info.revision;
    assert.equal((await bucket.info(hash))?.revision, revision, "the second put wrote nothing");
    await server.restart();
    assert.deepEqual(await blobs.get(hash), large);
  });

  test("an object whose bytes do not match its name is BlobCorruptionError; putting the right bytes repairs it", async () => {
    await using blobs = await openJetStreamBlobStore(connection);
    const right = encoder.encode("the right bytes");
    const wrong = encoder.encode("other bytes");
    const hash = sha256Hex(right);
    const bucket = await new Objm(connection.jetstream).open(blobBucketName);
    await bucket.putBlob({ name: hash }, wrong);
    await assert.rejects(blobs.get(hash), (error: unknown) => {
      assert(error instanceof BlobCorruptionError, String(error));
      assert.deepEqual([error.hash, error.actualHash], [hash, sha256Hex(wrong)]);
      return true;
    });
    await blobs.put(right);
    assert.deepEqual(await blobs.get(hash), right);
  });

  test("after close every operation is BlobStoreClosedError", async () => {
    const blobs = await openJetStreamBlobStore(connection);
    const hash = await blobs.put(encoder.encode("x"));
    await blobs.close();
    await assert.rejects(blobs.get(hash), BlobStoreClosedError);
    await assert.rejects(blobs.put(encoder.encode("y")), BlobStoreClosedError);
    await assert.rejects(blobs.has(hash), BlobStoreClosedError);
  });

  test("a bucket with a TTL is refused with StreamSettingsError naming max_age", async () => {
    await using ttlServer = await startNatsServer();
    await using ttlConnection = await connectNats(ttlServer.url);
    await new Objm(ttlConnection.jetstream).create(blobBucketName, {
      storage: StorageType.File,
      ttl: nanos(60_000),
    });
    await assert.rejects(openJetStreamBlobStore(ttlConnection), (error: unknown) => {
      assert(error instanceof StreamSettingsError, String(error));
      assert.deepEqual(
        error.violations.map((violation) => violation.setting),
        ["max_age"],
      );
      return true;
    });
  });
});
