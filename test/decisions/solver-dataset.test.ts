// Goal: the Solver dataset's named deviations do what docs/learning.md says and nothing else: the
// release keeps only hard items; `easyReplayRatio` adds round(ratio x hard kept) easy items, in candidate
// order, only from images whose easy majority agrees with the Proposer's easy answer, labelled with that
// answer; the items keep their images. Method: fast-check over random candidate lists.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  type DecisionConfig,
  keptDatasetItems,
  type SolverItemCandidate,
} from "../../src/decisions/index.ts";
import { resolveGrpoConfig, resolveRewardConfig } from "../../src/rewards/index.ts";

const candidateArbitrary = fc.record({
  kept: fc.boolean(),
  easyAgrees: fc.boolean(),
  easyConsistency: fc.constantFrom(0.3, 0.5, 0.8, 1),
  id: fc.nat({ max: 1000 }),
});

function candidates(
  records: readonly { kept: boolean; easyAgrees: boolean; easyConsistency: number; id: number }[],
) {
  return records.map(
    (record, index): SolverItemCandidate => ({
      iteration: 1,
      proposalId: `p${index}`,
      imageId: `image-${index}-${record.id}`,
      question: `hard ${index}`,
      easyQuestion: `easy ${index}`,
      decision: {
        kept: record.kept,
        rejection: record.kept ? null : "hard-too-consistent",
        easyConsistency: record.easyConsistency,
        hardConsistency: 0.5,
        pseudoLabel: `label ${index}`,
        easyLabel: `easy label ${index}`,
        easyAgreesWithProposer: record.easyAgrees,
      },
    }),
  );
}

function config(easyReplayRatio?: number): DecisionConfig {
  const rewards = resolveRewardConfig(
    easyReplayRatio === undefined ? "release" : { preset: "release", filters: { easyReplayRatio } },
  );
  return { rewards, grpo: resolveGrpoConfig("release") };
}

describe("Solver dataset items", () => {
  test("the release keeps exactly the kept hard items, in order, with no level field", () => {
    fc.assert(
      fc.property(fc.array(candidateArbitrary, { maxLength: 30 }), (records) => {
        const list = candidates(records);
        const items = keptDatasetItems(list, config());
        assert.deepEqual(
          items.map((item) => item.question),
          list.filter((candidate) => candidate.decision.kept).map((candidate) => candidate.question),
        );
        assert.ok(items.every((item) => !("level" in item)));
      }),
      { seed: 3, numRuns: 300 },
    );
  });

  test("easy replay adds round(ratio x hard) agreeing, consistent easy items after the hard ones", () => {
    fc.assert(
      fc.property(
        fc.array(candidateArbitrary, { maxLength: 30 }),
        fc.constantFrom(0, 0.25, 0.5, 1, 3),
        (records, ratio) => {
          const list = candidates(records);
          const items = keptDatasetItems(list, config(ratio));
          const hard = items.filter((item) => item.level === undefined);
          const easy = items.filter((item) => item.level === "easy");
          assert.deepEqual(items, [...hard, ...easy], "hard items come first");
          assert.deepEqual(hard, keptDatasetItems(list, config()));
          const eligible = list.filter(
            (candidate) =>
              candidate.decision.easyAgreesWithProposer && candidate.decision.easyConsistency >= 0.5,
          );
          assert.equal(easy.length, Math.min(eligible.length, Math.round(ratio * hard.length)));
          easy.forEach((item, index) => {
            const source = eligible[index]!;
            assert.deepEqual(
              [item.imageId, item.question, item.pseudoLabel],
              [source.imageId, source.easyQuestion, source.decision.easyLabel],
            );
          });
        },
      ),
      { seed: 4, numRuns: 300 },
    );
  });
});
