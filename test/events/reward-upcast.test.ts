// Goal: RewardScored v1 (bookkeeping stored among the reward components) still reads: every v1
// payload the v1 schema accepts upcasts to a valid v2 event whose components hold no bookkeeping
// (the Solver's `sample` becomes `sampleIndex`, the Proposer's `renderedCount` is dropped), keeps
// every other component as stored, and hashes as stored, so an old log's chain verifies unchanged.
// A v1 Solver reward without its `sample` is not something mmzero wrote: a typed decode error.
// Method: fast-check over v1 events from the v1 schema's own generator, with components drawn from
// the v1 writer's names, the bookkeeping names and arbitrary ones; the upcast event is validated by
// encoding it under the current schema.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  canonicalBytes,
  canonicalJson,
  decodeEvent,
  EventDecodeError,
  encodeEvent,
  legacyEvents,
  sha256Hex,
} from "../../src/events/index.ts";
import { storedRewardScoredV1 } from "../support/events.ts";
import { arbitraryFromSchema } from "../support/schema-arbitrary.ts";

/** What v1 stored among the components that is not a reward term. */
const bookkeeping = ["sample", "renderedCount"] as const;

/** Component names the v1 loop wrote (src/decisions/reward-components.ts at v1), and others. */
const componentName = fc.oneof(
  fc.constantFrom(
    "formatValid",
    "base",
    "diversity",
    "meanSolvability",
    "rendered",
    "penalty",
    "correct",
    "formatOk",
    ...bookkeeping,
  ),
  fc.string({ maxLength: 8 }),
);
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

/** A v1 RewardScored as the v1 schema accepts it, with components that may hold any of the names. */
const rewardScoredV1 = fc
  .tuple(
    arbitraryFromSchema(legacyEvents.RewardScoredV1),
    fc.dictionary(componentName, finite, { maxKeys: 10 }),
    fc.nat(64),
  )
  .map(([event, components, sample]) => ({
    ...event,
    payload: {
      ...event.payload,
      components: event.payload.role === "solver" ? { ...components, sample } : components,
    },
  }));

describe("RewardScored v1 -> v2", () => {
  test("every v1 payload upcasts to a valid v2 event without bookkeeping among its components", () => {
    fc.assert(
      fc.property(rewardScoredV1, (generated) => {
        const bytes = canonicalBytes(generated);
        // What the log holds: the canonical form (-0 is stored as 0).
        const stored: typeof generated = JSON.parse(new TextDecoder().decode(bytes));
        const { event, contentHash: hash } = decodeEvent(bytes);
        assert.ok(event.type === "RewardScored" && event.v === 2);
        encodeEvent(event); // validates against the current schema
        for (const name of bookkeeping) assert.ok(!Object.hasOwn(event.payload.components, name), name);
        const { sample, renderedCount: _derived, ...rewards } = stored.payload.components;
        assert.deepEqual(event.payload.components, rewards);
        if (stored.payload.role === "solver") {
          assert.ok(event.payload.role === "solver");
          assert.equal(event.payload.sampleIndex, sample);
        } else {
          assert.ok(!("sampleIndex" in event.payload));
        }
        const { components: _v1, ...rest } = stored.payload;
        const { components: _v2, ...upcastRest } = event.payload;
        if ("sampleIndex" in upcastRest) {
          const { sampleIndex: _index, ...others } = upcastRest;
          assert.deepEqual(others, rest);
        } else assert.deepEqual(upcastRest, rest);
        // The hash covers the stored v1 form: an old log's chain is unchanged.
        const { at: _unhashed, ...hashed } = stored;
        assert.equal(hash, sha256Hex(canonicalJson(hashed)));
      }),
      { numRuns: 100 },
    );
  });

  /** A v1 reward of step 0 as an old log stores it, read back. */
  const readV1 = (seq: number, role: "proposer" | "solver", components: Record<string, number>) =>
    decodeEvent(storedRewardScoredV1("old-run", seq, { role, step: 0, total: 1, components })).event;

  test("a stored Solver and Proposer reward read back in the v2 shape", () => {
    const solver = readV1(7, "solver", { correct: 1, formatOk: 1, sample: 3 });
    assert.ok(solver.type === "RewardScored" && solver.payload.role === "solver");
    assert.equal(solver.payload.sampleIndex, 3);
    assert.deepEqual(solver.payload.components, { correct: 1, formatOk: 1 });
    const proposer = readV1(8, "proposer", { formatValid: 1, base: 0.5, renderedCount: 4 });
    assert.ok(proposer.type === "RewardScored");
    assert.deepEqual(proposer.payload.components, { formatValid: 1, base: 0.5 });
  });

  test("a v1 Solver reward without its response index is a decode error, not a default", () => {
    assert.throws(
      () => readV1(9, "solver", { correct: 1, formatOk: 1 }),
      (error: unknown) => error instanceof EventDecodeError && /sample/.test(error.message),
    );
  });
});
