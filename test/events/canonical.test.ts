// Goal: the canonical encoding gives one byte string per value, so hashes identify content.
// Method: fast-check over arbitrary JSON values (including hostile keys such as __proto__ and lone
// surrogates): decode(encode(x)) equals x, encoding is idempotent and insensitive to key order, and
// distinct values never share an encoding; non-JSON values are rejected, not dropped.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { CanonicalEncodingError, canonicalJson } from "../../src/events/index.ts";

const jsonValue = fc.jsonValue({ maxDepth: 4 });

function shuffledKeys(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((item) => shuffledKeys(item, random));
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).sort(() => random() - 0.5);
    const result: Record<string, unknown> = {};
    for (const [key, child] of entries) {
      Object.defineProperty(result, key, {
        value: shuffledKeys(child, random),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return result;
  }
  return value;
}

describe("canonicalJson", () => {
  test("round-trips: parsing the encoding and re-encoding gives the same bytes", () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        const encoded = canonicalJson(value);
        assert.equal(canonicalJson(JSON.parse(encoded)), encoded);
      }),
    );
  });

  test("key order does not change the encoding", () => {
    fc.assert(
      fc.property(jsonValue, fc.integer(), (value, seed) => {
        let state = seed;
        const random = () => {
          state = (state * 1103515245 + 12345) & 0x7fffffff;
          return state / 0x7fffffff;
        };
        assert.equal(canonicalJson(shuffledKeys(value, random)), canonicalJson(value));
      }),
    );
  });

  test("distinct values have distinct encodings", () => {
    fc.assert(
      fc.property(jsonValue, jsonValue, (left, right) => {
        const sameEncoding = canonicalJson(left) === canonicalJson(right);
        const sameValue =
          canonicalJson(JSON.parse(JSON.stringify(left))) ===
          canonicalJson(JSON.parse(JSON.stringify(right)));
        assert.equal(sameEncoding, sameValue);
      }),
    );
    assert.notEqual(canonicalJson({ a: "1" }), canonicalJson({ a: 1 }));
    assert.notEqual(canonicalJson(["\ud800"]), canonicalJson(["\ufffd"]));
  });

  test("numbers are canonical: -0 is 0, shortest round-trip digits", () => {
    assert.equal(canonicalJson(-0), "0");
    assert.equal(canonicalJson(1.0), "1");
    assert.equal(canonicalJson(0.1 + 0.2), "0.30000000000000004");
    assert.equal(canonicalJson({ b: 1, a: [true, null, "x"] }), '{"a":[true,null,"x"],"b":1}');
  });

  test("number arrays (written whole) encode as the rules write each item", () => {
    // The item-by-item form: each number on its own, so the whole-array path is checked against it.
    const itemByItem = (numbers: readonly number[]) =>
      `[${numbers.map((item) => canonicalJson(item)).join(",")}]`;
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer())),
        (numbers) => {
          assert.equal(canonicalJson(numbers), itemByItem(numbers));
          assert.equal(canonicalJson({ n: numbers }), `{"n":${itemByItem(numbers)}}`);
        },
      ),
    );
    assert.equal(canonicalJson([-0, 1e21, 5e-324, -1.5]), "[0,1e+21,5e-324,-1.5]");
    // What JSON.stringify would write otherwise is still refused or walked item by item.
    assert.throws(() => canonicalJson([1, Number.NaN]), /\[1\]/);
    const holed = [1];
    holed[2] = 2;
    assert.throws(() => canonicalJson(holed), /\[1\]/);
    const withToJson = Object.assign([1, 2], { toJSON: () => "replaced" });
    assert.equal(canonicalJson(withToJson), "[1,2]");
    class Numbers extends Array<number> {
      toJSON() {
        return "replaced";
      }
    }
    assert.equal(canonicalJson(Numbers.from([3, 4])), "[3,4]");
  });

  test("rejects values that JSON would silently drop or alter", () => {
    assert.throws(() => canonicalJson({ a: undefined }), CanonicalEncodingError);
    assert.throws(() => canonicalJson(Number.NaN), CanonicalEncodingError);
    assert.throws(() => canonicalJson({ x: [Number.POSITIVE_INFINITY] }), /\.x\[0\]/);
    assert.throws(() => canonicalJson(new Uint8Array(2)), /not a plain object/);
    assert.throws(() => canonicalJson(new Map()), CanonicalEncodingError);
    assert.throws(() => canonicalJson(() => 1), CanonicalEncodingError);
    let deep: unknown = 1;
    for (let level = 0; level < 100; level++) deep = [deep];
    assert.throws(() => canonicalJson(deep), /nesting deeper/);
  });
});
