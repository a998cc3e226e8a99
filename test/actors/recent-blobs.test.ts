// Goal: RecentBlobs serves reads of what this process put or read from memory, never wrong bytes,
// within its byte budget, and writes every blob it does not hold through to the store; concurrent
// puts of the same bytes reach the store once and none resolves before that put is durable.
// Method: a counting memory store underneath; a model-based property over random put/get sequences
// with a budget smaller than the blobs, and examples for the read path, LRU order and copies.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { RecentBlobs } from "../../src/actors/index.ts";
import { type BlobStore, openMemoryBlobStore } from "../../src/store/index.ts";

/** A memory store that counts the calls that reach it. */
function countingStore(): BlobStore & { readonly calls: { put: number; get: number } } {
  const store = openMemoryBlobStore();
  const calls = { put: 0, get: 0 };
  return {
    calls,
    put: (bytes) => {
      calls.put += 1;
      return store.put(bytes);
    },
    get: (hash) => {
      calls.get += 1;
      return store.get(hash);
    },
    has: (hash) => store.has(hash),
    close: () => store.close(),
    [Symbol.asyncDispose]: () => store.close(),
  };
}

/** A store whose puts wait until the test settles them, recording when each was asked for. */
function gatedStore(): BlobStore & { readonly asked: number; settle(outcome: "resolve" | "reject"): void } {
  const store = openMemoryBlobStore();
  const waiting: { resolve(): void; reject(error: Error): void }[] = [];
  return {
    get asked() {
      return waiting.length;
    },
    settle(outcome) {
      for (const gate of waiting.splice(0)) {
        if (outcome === "resolve") gate.resolve();
        else gate.reject(new Error("ENOSPC: no space left on device"));
      }
    },
    put: async (bytes) => {
      await new Promise<void>((resolve, reject) => waiting.push({ resolve, reject }));
      return store.put(bytes);
    },
    get: (hash) => store.get(hash),
    has: (hash) => store.has(hash),
    close: () => store.close(),
    [Symbol.asyncDispose]: () => store.close(),
  };
}

describe("RecentBlobs", () => {
  test("concurrent puts of the same bytes make one store put, and all wait for it to be durable", async () => {
    const store = gatedStore();
    const recent = new RecentBlobs(store);
    const resolved: string[] = [];
    const puts = [1, 2, 3].map((index) =>
      recent.put(new Uint8Array([4, 2])).then((hash) => {
        resolved.push(`put ${index}`);
        return hash;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(store.asked, 1);
    assert.deepEqual(resolved, []);
    store.settle("resolve");
    const hashes = await Promise.all(puts);
    assert.equal(new Set(hashes).size, 1);
    assert.equal(resolved.length, 3);
    assert.equal(await recent.put(new Uint8Array([4, 2])), hashes[0]);
    assert.equal(store.asked, 0);
  });

  test("a failed put fails every put that joined it, and a later put tries the store again", async () => {
    const store = gatedStore();
    const recent = new RecentBlobs(store);
    const puts = [recent.put(new Uint8Array([6])), recent.put(new Uint8Array([6]))];
    await new Promise((resolve) => setImmediate(resolve));
    store.settle("reject");
    for (const put of puts) await assert.rejects(put, /ENOSPC/);
    const retry = recent.put(new Uint8Array([6]));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(store.asked, 1);
    store.settle("resolve");
    assert.match(await retry, /^[0-9a-f]{64}$/);
  });

  test("a blob put or read once is read (and put) again from memory", async () => {
    const store = countingStore();
    const recent = new RecentBlobs(store);
    const hash = await recent.put(new Uint8Array([1, 2, 3]));
    assert.deepEqual(await recent.get(hash), new Uint8Array([1, 2, 3]));
    assert.deepEqual(store.calls, { put: 1, get: 0 });
    const other = await store.put(new Uint8Array([4]));
    await recent.get(other);
    await recent.get(other);
    assert.equal(store.calls.get, 1);
    assert.equal(await recent.put(new Uint8Array([1, 2, 3])), hash);
    assert.equal(store.calls.put, 2);
    await recent.put(new Uint8Array([9]));
    assert.equal(store.calls.put, 3);
  });

  test("bytes are copied in and out: changing them changes no kept copy", async () => {
    const recent = new RecentBlobs(openMemoryBlobStore());
    const bytes = new Uint8Array([7, 8]);
    const hash = await recent.put(bytes);
    bytes[0] = 0;
    const read = await recent.get(hash);
    read[1] = 0;
    assert.deepEqual(await recent.get(hash), new Uint8Array([7, 8]));
  });

  test("past the byte budget the least recently used is dropped first, and an oversized blob is not kept", async () => {
    const store = countingStore();
    const recent = new RecentBlobs(store, 8);
    const a = await recent.put(new Uint8Array(4).fill(1));
    const b = await recent.put(new Uint8Array(4).fill(2));
    await recent.get(a); // a is now the most recently used
    await recent.put(new Uint8Array(4).fill(3)); // 12 bytes: b goes
    assert.equal(store.calls.get, 0);
    await recent.get(a);
    assert.equal(store.calls.get, 0);
    await recent.get(b);
    assert.equal(store.calls.get, 1);
    const big = await recent.put(new Uint8Array(9));
    await recent.get(big);
    assert.equal(store.calls.get, 2);
  });

  test("closing drops the copies and leaves the store open", async () => {
    const store = countingStore();
    const recent = new RecentBlobs(store);
    const hash = await recent.put(new Uint8Array([5]));
    await recent.close();
    assert.deepEqual(await recent.get(hash), new Uint8Array([5]));
    assert.equal(store.calls.get, 1);
  });

  test("any sequence of puts and gets reads back exactly what was put (budget below the blobs' total)", async () => {
    const blob = fc.uint8Array({ minLength: 0, maxLength: 12 });
    const operation = fc.oneof(
      fc.record({ kind: fc.constant("put" as const), index: fc.nat(5) }),
      fc.record({ kind: fc.constant("get" as const), index: fc.nat(5) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(blob, { minLength: 6, maxLength: 6 }),
        fc.array(operation, { maxLength: 40 }),
        fc.integer({ min: 0, max: 24 }),
        async (blobs, operations, budget) => {
          const recent = new RecentBlobs(openMemoryBlobStore(), budget);
          const stored = new Map<number, string>();
          for (const { kind, index } of operations) {
            const bytes = blobs[index]!;
            if (kind === "put") stored.set(index, await recent.put(bytes));
            const hash = stored.get(index);
            if (kind === "get" && hash !== undefined) assert.deepEqual(await recent.get(hash), bytes);
          }
        },
      ),
    );
  });
});
