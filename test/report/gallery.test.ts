// Goal: the gallery's choice is bounded, deterministic, in log order, and covers every
// (iteration, phase, outcome) stratum whenever the limit allows.
// Method: fast-check over random candidate lists (seq, iteration, phase, outcome); the choice is
// checked against its laws rather than against hard-coded picks.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { policyRoles } from "../../src/events/index.ts";
import { type GallerySample, galleryOutcomes, selectGallerySamples } from "../../src/report/gallery.ts";

const seed = 20260109;

function sample(
  seq: number,
  iteration: number,
  phase: (typeof policyRoles)[number],
  outcome: GallerySample["outcome"],
): GallerySample {
  return {
    id: seq.toString(16).padStart(32, "0"),
    seq,
    iteration,
    phase,
    stage: "step",
    step: 0,
    purpose: "rollout",
    sampleKey: `i${iteration}/${phase}/s0/p${seq}`,
    outcome,
    failure: null,
    image: null,
    topic: "",
    proposal: null,
    proposalText: null,
    code: null,
    votes: { easy: null, hard: null },
    rewards: { proposer: null, coder: null },
    datasetItem: null,
    keptAsCoderPrompt: false,
    depiction: null,
    proposerAnswers: { easy: null, hard: null },
  };
}

const candidates = fc
  .array(
    fc.tuple(
      fc.integer({ min: 1, max: 3 }),
      fc.constantFrom(...policyRoles),
      fc.constantFrom(...galleryOutcomes),
    ),
    {
      maxLength: 80,
    },
  )
  .map((rows) =>
    rows.map(([iteration, phase, outcome], index) => sample(index + 1, iteration, phase, outcome)),
  );

const stratum = (entry: GallerySample) => `${entry.iteration}/${entry.phase}/${entry.outcome}`;

test("the choice is a bounded, duplicate-free subset in log order, the same every time", () => {
  fc.assert(
    fc.property(candidates, fc.nat({ max: 40 }), (list, limit) => {
      const chosen = selectGallerySamples(list, limit);
      assert.equal(chosen.length, Math.min(limit, list.length));
      assert.equal(new Set(chosen.map((entry) => entry.id)).size, chosen.length);
      for (const entry of chosen) assert.ok(list.includes(entry));
      assert.deepEqual(
        chosen.map((entry) => entry.seq),
        [...chosen.map((entry) => entry.seq)].sort((a, b) => a - b),
      );
      assert.deepEqual(selectGallerySamples([...list].reverse(), limit), chosen);
    }),
    { seed },
  );
});

test("every stratum is represented when the limit is at least the number of strata", () => {
  fc.assert(
    fc.property(candidates, fc.nat({ max: 20 }), (list, extra) => {
      const strata = new Set(list.map(stratum));
      const chosen = selectGallerySamples(list, strata.size + extra);
      assert.deepEqual(new Set(chosen.map(stratum)), strata);
      // Round-robin: no stratum gets two more picks than another that still had samples left.
      const picks = new Map<string, number>();
      for (const entry of chosen) picks.set(stratum(entry), (picks.get(stratum(entry)) ?? 0) + 1);
      const available = new Map<string, number>();
      for (const entry of list) available.set(stratum(entry), (available.get(stratum(entry)) ?? 0) + 1);
      const counts = [...picks.entries()];
      for (const [name, count] of counts)
        for (const [other, otherCount] of counts)
          if (otherCount < available.get(other)!)
            assert.ok(count <= otherCount + 1, `${name} ${count} vs ${other} ${otherCount}`);
    }),
    { seed },
  );
});
