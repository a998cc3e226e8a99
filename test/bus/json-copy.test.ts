// Goal: jsonCopy gives exactly what a JSON round trip gives (the in-process bus relies on it to
// behave like NATS), for any value, and fails where the round trip fails.
// Method: fast-check's `anything` (objects with and without prototypes, boxed values, dates, typed
// arrays, maps, sparse arrays, -0, NaN, undefined) compared with JSON.parse(JSON.stringify(...)).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { jsonCopy } from "../../src/bus/json-copy.ts";

const roundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value) as string);

/** The outcome of a copy: its value, or that it threw. */
function outcome(copy: () => unknown): { value: unknown } | { threw: true } {
  try {
    return { value: copy() };
  } catch {
    return { threw: true };
  }
}

describe("jsonCopy", () => {
  test("equals the JSON round trip of any value, and throws where it throws", () => {
    const settings = {
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
      withUnicodeString: true,
      withBigInt: true,
    } as const;
    fc.assert(
      fc.property(fc.anything(settings), (value) => {
        assert.deepStrictEqual(
          outcome(() => jsonCopy(value)),
          outcome(() => roundTrip(value)),
        );
      }),
      { numRuns: 2000 },
    );
  });

  test("what JSON changes changes alike: -0, non-finite numbers, undefined, __proto__ keys", () => {
    const value = JSON.parse('{"__proto__":{"a":1}}') as object;
    const message = {
      zero: -0,
      list: [Number.NaN, undefined, Number.POSITIVE_INFINITY],
      gone: undefined,
      value,
    };
    const copied = jsonCopy(message);
    assert.deepStrictEqual(copied, roundTrip(message));
    assert.ok(Object.is((copied as { zero: number }).zero, 0));
    assert.equal(Object.getPrototypeOf((copied as { value: object }).value), Object.prototype);
    assert.throws(() => jsonCopy(undefined), TypeError);
  });

  test("a copy shares nothing with the original", () => {
    const message = { rows: [{ tokens: [1, 2] }] };
    const copied = jsonCopy(message) as typeof message;
    copied.rows[0]!.tokens[0] = 9;
    assert.equal(message.rows[0]!.tokens[0], 1);
  });
});
