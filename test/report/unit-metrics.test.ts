// Goal: unit metrics merge like a commutative monoid (so steps merge into iterations in any grouping)
// and summaries report what the sums say.
// Method: fast-check arbitrary metrics built from random per-event updates; merge laws checked by
// deep equality (integer-valued tallies keep sums exact); summary fields checked against the counts.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { countAdd } from "../../src/report/statistics.ts";
import {
  emptyUnitMetrics,
  mergeUnitMetrics,
  summariseUnit,
  type UnitMetrics,
  withConsistency,
  withReward,
} from "../../src/report/unit-metrics.ts";

const seed = 20260109;
// Quarters keep sums of a few values exact in binary floating point.
const quarter = fc.integer({ min: 0, max: 4 }).map((value) => value / 4);

const update = fc.oneof(
  fc.record({
    kind: fc.constant("proposal" as const),
    type: fc.option(fc.constantFrom("table", "geometry", "diagram")),
  }),
  fc.record({ kind: fc.constant("code" as const), length: fc.nat({ max: 400 }), rendered: fc.boolean() }),
  fc.record({
    kind: fc.constant("consistency" as const),
    question: fc.constantFrom("easy" as const, "hard" as const),
    value: quarter,
  }),
  fc.record({ kind: fc.constant("reward" as const), total: quarter, solvability: quarter }),
);

function applyUpdate(
  metrics: UnitMetrics,
  change: typeof update extends fc.Arbitrary<infer U> ? U : never,
): UnitMetrics {
  switch (change.kind) {
    case "proposal":
      return change.type === null
        ? { ...metrics, proposals: metrics.proposals + 1 }
        : {
            ...metrics,
            proposals: metrics.proposals + 1,
            validProposals: metrics.validProposals + 1,
            contentTypes: countAdd(metrics.contentTypes, change.type),
          };
    case "code":
      return {
        ...metrics,
        codes: metrics.codes + 1,
        codeCharacters: metrics.codeCharacters + change.length,
        rendered: metrics.rendered + (change.rendered ? 1 : 0),
        renderFailures: change.rendered
          ? metrics.renderFailures
          : countAdd(metrics.renderFailures, "XmlError"),
      };
    case "consistency":
      return withConsistency(metrics, change.question, change.value);
    case "reward":
      return withReward(metrics, change.total, { solvability: change.solvability });
  }
}

const metrics = fc
  .array(update, { maxLength: 12 })
  .map((changes) => changes.reduce(applyUpdate, emptyUnitMetrics));

test("merging is associative and commutative with the empty metrics as identity", () => {
  fc.assert(
    fc.property(metrics, metrics, metrics, (first, second, third) => {
      assert.deepEqual(mergeUnitMetrics(first, emptyUnitMetrics), first);
      assert.deepEqual(mergeUnitMetrics(emptyUnitMetrics, first), first);
      assert.deepEqual(
        mergeUnitMetrics(mergeUnitMetrics(first, second), third),
        mergeUnitMetrics(first, mergeUnitMetrics(second, third)),
      );
      const forward = mergeUnitMetrics(first, second);
      const backward = mergeUnitMetrics(second, first);
      assert.equal(forward.proposals, backward.proposals);
      assert.deepEqual(summariseUnit(forward, "coder"), summariseUnit(backward, "coder"));
    }),
    { seed },
  );
});

test("a merge of two updates' metrics equals applying both updates to one unit", () => {
  fc.assert(
    fc.property(fc.array(update, { maxLength: 10 }), fc.array(update, { maxLength: 10 }), (first, second) => {
      const separate = mergeUnitMetrics(
        first.reduce(applyUpdate, emptyUnitMetrics),
        second.reduce(applyUpdate, emptyUnitMetrics),
      );
      const together = [...first, ...second].reduce(applyUpdate, emptyUnitMetrics);
      assert.deepEqual(summariseUnit(separate, "coder"), summariseUnit(together, "coder"));
    }),
    { seed },
  );
});

test("summaries follow the counts: rates, the consistency gap, histogram shares and role measures", () => {
  fc.assert(
    fc.property(metrics, (unit) => {
      const summary = summariseUnit(unit, "coder");
      const failures = Object.values(unit.renderFailures).reduce((sum, count) => sum + count, 0);
      assert.equal(summary.renderRate, unit.codes === 0 ? null : unit.rendered / (unit.rendered + failures));
      if (summary.easyConsistencyMean !== null && summary.hardConsistencyMean !== null)
        assert.equal(summary.consistencyGap, summary.easyConsistencyMean - summary.hardConsistencyMean);
      else assert.equal(summary.consistencyGap, null);
      if (summary.hardConsistencyShares !== null) {
        const total = summary.hardConsistencyShares.reduce((sum, share) => sum + share, 0);
        assert.ok(Math.abs(total - 1) < 1e-12);
      }
      assert.equal(summary.solvability, summary.componentMeans.solvability ?? null);
      assert.equal(summariseUnit(unit, "solver").solvability, null);
      const shareSum = Object.values(summary.contentTypeShares).reduce((sum, share) => sum + share, 0);
      if (unit.validProposals > 0) assert.ok(Math.abs(shareSum - 1) < 1e-12);
    }),
    { seed },
  );
});
