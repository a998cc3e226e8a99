// Goal: every event type encodes to canonical bytes and decodes back to the same event with the same
// content hash; hashes ignore `at` and key order; old versions upcast; bad input is a typed error.
// Method: fast-check with arbitraries derived from each event's Effect schema, golden hashes for a
// fixed event, a committed-style v1 event decoded into v2, and hostile inputs.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  canonicalJson,
  chainGenesis,
  chainNext,
  contentHash,
  currentEvents,
  decodeEvent,
  decodeValidatedEvent,
  EventDecodeError,
  EventTooLargeError,
  encodeEvent,
  eventId,
  eventTypes,
  type MmzeroEvent,
  sha256Hex,
} from "../../src/events/index.ts";
import { arbitraryFromSchema } from "../support/schema-arbitrary.ts";

const encoder = new TextEncoder();

const fixedEvent: MmzeroEvent = {
  runId: "run-1",
  seq: 3,
  id: eventId("run-1", { role: "coordinator", version: 0 }, "iteration/1"),
  causationId: null,
  correlationId: null,
  producer: { role: "coordinator", version: 0 },
  at: "2026-11-28T00:00:00.000Z",
  type: "IterationStarted",
  v: 1,
  payload: { iteration: 1 },
};

describe("event catalog", () => {
  for (const type of eventTypes) {
    test(`${type}: encode -> decode round-trips with a stable content hash`, () => {
      fc.assert(
        fc.property(arbitraryFromSchema(currentEvents[type]), (event) => {
          const { bytes, contentHash: hash } = encodeEvent(event);
          // The bytes are the canonical encoding, left as they were after hashing them in place.
          assert.equal(new TextDecoder().decode(bytes), canonicalJson(event));
          assert.equal(hash, contentHash(event));
          const decoded = decodeEvent(bytes);
          assert.equal(decoded.contentHash, hash);
          assert.equal(canonicalJson(decoded.event), canonicalJson(event));
          assert.deepEqual(encodeEvent(decoded.event).bytes, bytes);
          // Bytes read back under the hash they were validated with: the same event, schema skipped.
          assert.deepEqual(decodeValidatedEvent(bytes, hash), decoded);
        }),
        { numRuns: 25 },
      );
    });
  }

  test("stored bytes are hashed as stored: a layout edit changes the hash, other key orders re-encode", () => {
    const { bytes, contentHash: hash } = encodeEvent(fixedEvent);
    const text = new TextDecoder().decode(bytes);
    const spaced = encoder.encode(text.replace('"payload":{', '"payload": {'));
    assert.notEqual(decodeEvent(spaced).contentHash, hash);
    const reordered = encoder.encode(
      JSON.stringify(Object.fromEntries(Object.entries(fixedEvent).reverse())),
    );
    assert.equal(decodeEvent(reordered).contentHash, hash);
  });

  test("decodeValidatedEvent trusts only bytes with the validated hash and a string `at`; others take the full decode", () => {
    const { bytes, contentHash: hash } = encodeEvent(fixedEvent);
    const text = new TextDecoder().decode(bytes);
    // Outside the hash, so only the string check stands between a numeric `at` and the reader.
    const numericAt = encoder.encode(text.replace(`"at":"${fixedEvent.at}"`, '"at":17'));
    assert.throws(() => decodeValidatedEvent(numericAt, hash), EventDecodeError);
    const invalid = encoder.encode(text.replace('"iteration":1', '"iteration":0'));
    assert.throws(() => decodeValidatedEvent(invalid, hash), EventDecodeError);
    const edited = encoder.encode(text.replace('"iteration":1', '"iteration":2'));
    assert.notEqual(decodeValidatedEvent(edited, hash).contentHash, hash);
    assert.throws(() => decodeValidatedEvent(encoder.encode("{not json"), hash), EventDecodeError);
  });

  test("the content hash ignores `at` and key order but sees every other field", () => {
    const later = { ...fixedEvent, at: "2030-01-01T00:00:00.000Z" };
    assert.equal(contentHash(later), contentHash(fixedEvent));
    const reordered = Object.fromEntries(Object.entries(fixedEvent).reverse()) as MmzeroEvent;
    assert.equal(contentHash(reordered), contentHash(fixedEvent));
    assert.notEqual(contentHash({ ...fixedEvent, seq: 4 }), contentHash(fixedEvent));
    assert.notEqual(contentHash({ ...fixedEvent, payload: { iteration: 2 } }), contentHash(fixedEvent));
  });

  test("golden: a fixed event has a fixed id and content hash (a change here breaks old logs)", () => {
    assert.equal(fixedEvent.id, "fad51979606c1f4a3852ca9b1a8741be");
    // The canonical form, written out by hand: sorted keys, no whitespace, no `at`.
    const canonical =
      '{"causationId":null,"correlationId":null,"id":"fad51979606c1f4a3852ca9b1a8741be",' +
      '"payload":{"iteration":1},"producer":{"role":"coordinator","version":0},"runId":"run-1",' +
      '"seq":3,"type":"IterationStarted","v":1}';
    assert.equal(contentHash(fixedEvent), sha256Hex(canonical));
    assert.equal(contentHash(fixedEvent), "2d7e2e7370a0b6f4bf3abd3a7390502afb0dcc7762a0e2a951b47466664b606b");
  });

  test("a v1 RunStarted from an old log decodes into the current v2 shape", () => {
    const v1 = {
      runId: "old-run",
      seq: 1,
      id: "0123456789abcdef0123456789abcdef",
      causationId: null,
      correlationId: null,
      producer: { role: "coordinator", version: 0 },
      at: "2026-01-01T00:00:00.000Z",
      type: "RunStarted",
      v: 1,
      payload: {
        config: { preset: "smoke" },
        seed: 42,
        backend: { name: "wasm", version: "4.22.0", threads: 1, simd: true },
        engineVersion: "0.0.1",
      },
    };
    const { event, contentHash: hash } = decodeEvent(encoder.encode(JSON.stringify(v1)));
    assert.equal(event.type, "RunStarted");
    assert.equal(event.v, 2);
    assert.ok(event.type === "RunStarted" && event.v === 2);
    assert.equal(event.payload.seed, "42");
    assert.equal(event.payload.rngAlgorithm, "threefry2x32-20");
    assert.deepEqual(event.payload.config, { preset: "smoke" });
    // The hash covers the stored v1 form, so an old log's chain still verifies.
    assert.equal(hash, contentHash(JSON.parse(JSON.stringify(v1))));
    const stored = encoder.encode(canonicalJson(v1));
    assert.deepEqual(decodeValidatedEvent(stored, hash), { event, contentHash: hash });
  });

  test("malformed input is a typed error naming the problem", () => {
    assert.throws(() => decodeEvent(encoder.encode("{not json")), EventDecodeError);
    assert.throws(() => decodeEvent(new Uint8Array([0xff, 0xfe, 0x7b])), EventDecodeError);
    assert.throws(
      () => decodeEvent(encoder.encode(JSON.stringify({ ...fixedEvent, type: "Nope" }))),
      EventDecodeError,
    );
    assert.throws(
      () => decodeEvent(encoder.encode(JSON.stringify({ ...fixedEvent, payload: { iteration: 0 } }))),
      (error: unknown) => error instanceof EventDecodeError && /iteration/.test(error.message),
    );
    assert.throws(() => encodeEvent({ ...fixedEvent, seq: 0 }), /greater than or equal to 1/);
  });

  test("an event over the size limit is refused with advice", () => {
    const huge: MmzeroEvent = {
      ...fixedEvent,
      type: "RunFailed",
      v: 1,
      payload: { errorName: "X", message: "x".repeat(300_000) },
    };
    assert.throws(() => encodeEvent(huge), EventTooLargeError);
  });

  test("the hash chain changes with every link and with order", () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[0-9a-f]{64}$/), { minLength: 2, maxLength: 6 }), (hashes) => {
        fc.pre(hashes[0] !== hashes[1]);
        const chain = (list: readonly string[]) => list.reduce(chainNext, chainGenesis);
        const swapped = [hashes[1]!, hashes[0]!, ...hashes.slice(2)];
        assert.notEqual(chain(swapped), chain(hashes));
        assert.notEqual(chain(hashes.slice(1)), chain(hashes));
      }),
    );
  });
});
