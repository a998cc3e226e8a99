// Goal: the persistent event-id index behaves like a Map and never changes an earlier version.
// Method: fast-check sequences of sets (with repeated keys, and keys sharing long prefixes) replayed
// against a Map; every intermediate version is checked again after all later sets.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  type EventIdIndex,
  emptyEventIdIndex,
  eventIdIndexGet,
  eventIdIndexSet,
  eventIdIndexValues,
} from "../../src/report/event-id-index.ts";

const seed = 20260109;
// Few distinct digits after a shared prefix, so keys collide deep in the trie.
const eventIds = fc
  .array(fc.constantFrom("0", "1", "f"), { minLength: 4, maxLength: 4 })
  .map((tail) => `${"a".repeat(28)}${tail.join("")}`);
const anyEventId = fc.stringMatching(/^[0-9a-f]{32}$/);

test("the index agrees with a Map after any sequence of sets, and old versions stay as they were", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.oneof(eventIds, anyEventId), fc.integer()), { maxLength: 60 }),
      (sets) => {
        const versions: { index: EventIdIndex<number>; expected: Map<string, number> }[] = [];
        let index = emptyEventIdIndex<number>();
        const expected = new Map<string, number>();
        for (const [key, value] of sets) {
          index = eventIdIndexSet(index, key, value);
          expected.set(key, value);
          versions.push({ index, expected: new Map(expected) });
        }
        for (const version of versions) {
          assert.equal(version.index.size, version.expected.size);
          for (const [key, value] of version.expected)
            assert.equal(eventIdIndexGet(version.index, key), value);
          const sortedKeys = [...version.expected.keys()].sort();
          assert.deepEqual(
            [...eventIdIndexValues(version.index)],
            sortedKeys.map((key) => version.expected.get(key)),
          );
        }
        assert.equal(eventIdIndexGet(index, "b".repeat(32)), expected.get("b".repeat(32)));
      },
    ),
    { seed },
  );
});

test("keys that are not event ids are refused", () => {
  assert.throws(() => eventIdIndexSet(emptyEventIdIndex(), "ABC", 1), /not an event id/);
  assert.equal(eventIdIndexGet(emptyEventIdIndex<number>(), "zz"), undefined);
});
