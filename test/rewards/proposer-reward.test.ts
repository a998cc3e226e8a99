// Goal: the Proposer reward has every term of the reference with the release's constants, its batch
// terms are permutation-equivariant, and inconsistent inputs are errors. Method: a hand-computed batch
// (every term exercised), then fast-check laws over batches drawn from a pool of proposals whose texts
// share no token (so clusters are exactly the groups of identical proposals).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  contentTypePenalties,
  InconsistentInputError,
  type JudgeResult,
  type Proposal,
  type ProposerOutcome,
  type ProposerReward,
  resolveRewardConfig,
  scoreProposerBatch,
  solvability,
} from "../../src/rewards/index.ts";

const seed = 3_006;
const release = resolveRewardConfig("release");

function closeTo(actual: number, expected: number, tolerance = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);
}
function judged(easyAnswers: readonly string[], hardAnswers: readonly string[]): JudgeResult {
  return { kind: "judged", easyAnswers, hardAnswers };
}
const failed: JudgeResult = { kind: "render-failed" };
function scored(reward: ProposerReward | undefined): Extract<ProposerReward, { kind: "scored" }> {
  assert.ok(
    reward !== undefined && reward.kind === "scored",
    `expected a scored reward, got ${JSON.stringify(reward)}`,
  );
  return reward;
}

const barChart: Proposal = {
  contentType: "data_chart",
  caption: "a bar chart of five bars showing fruit sales",
  easyQuestion: "how many bars are shown ?",
  easyAnswer: "5",
  hardQuestion: "which fruit has the tallest bar ?",
  hardAnswer: "apple",
};
const triangle: Proposal = {
  contentType: "geometry",
  caption: "triangle ABC with angle 40 degrees at vertex A",
  easyQuestion: "what is angle A in degrees",
  easyAnswer: "2",
  hardQuestion: "sum of remaining two angles",
  hardAnswer: "140",
};
const pie: Proposal = {
  contentType: "other",
  caption: "pie chart with three slices colored red green blue",
  easyQuestion: "how many slices does the pie have ?",
  easyAnswer: "3",
  hardQuestion: "which slice is largest",
  hardAnswer: "red",
};

/**
 * Hand computation (release preset, K = 4, M = 5, n = 4 valid proposals):
 * - bar chart: judge 1 s = 1 -> 0.5, c = 2/5 -> d = 0.4: 0.9; judge 3 s = 3/5 -> 0.5, d = 0: 0.5;
 *   base = 1.4 / 4 = 0.35; mean d = 0.2 >= 0.15. Its twin renders nothing: base 0, no trivial penalty.
 * - triangle: 0 + 0.4, 0.5 + 0.2, failed, 0.2 + 0: base = 1.3 / 4 = 0.325; mean d = 0.2.
 * - pie (declared "other", caption says "pie chart" -> data_chart): 4 x (0.5 + 0) = 0.5, mean d = 0 -> -0.3.
 * - content types: data_chart 3/4 > 0.5 -> -0.15 * 0.25 / 0.5 = -0.075 for bar chart, twin and pie.
 * - diversity: the twins share every cluster (2/4) -> excess = 1/4 -> -clip(0.5 * 4 * 1/4) = -0.5; others 0.
 */
const goldenBatch: readonly ProposerOutcome[] = [
  { kind: "unparsable" },
  {
    kind: "parsed",
    proposal: barChart,
    judges: [
      judged(["5", "5", "5", "5", "5"], ["banana", "banana", "apple", "apple", "cherry"]),
      failed,
      judged(["5", "4", "None", "5", "five"], ["apple", "apple", "apple", "apple", "apple"]),
      failed,
    ],
  },
  { kind: "parsed", proposal: barChart, judges: [failed, failed, failed, failed] },
  {
    kind: "parsed",
    proposal: triangle,
    judges: [
      judged(["1", "1", "1", "1", "1"], ["x", "y", "x", "y", "z"]),
      judged(["2", "two", "2", "2", "2"], ["x", "x", "x", "x", "y"]),
      failed,
      judged(["2", "1", "1", "1", "1"], ["x", "x", "x", "x", "x"]),
    ],
  },
  {
    kind: "parsed",
    proposal: pie,
    judges: Array.from({ length: 4 }, () =>
      judged(["3", "3", "3", "3", "3"], ["red", "red", "red", "red", "red"]),
    ),
  },
];

describe("scoreProposerBatch: golden batch", () => {
  const rewards = scoreProposerBatch(goldenBatch, release);
  test("unparsable scores -1", () => {
    assert.deepEqual(rewards[0], { kind: "unparsable", total: -1 });
  });
  test("every term of the bar chart: base 0.35, spread -0.075, diversity -0.5, total -0.225", () => {
    const reward = scored(rewards[1]);
    closeTo(reward.base, 0.35);
    assert.equal(reward.trivialHardPenalty, 0);
    closeTo(reward.contentTypePenalty, -0.075);
    closeTo(reward.diversity, -0.5);
    closeTo(reward.total, -0.225);
    assert.equal(reward.renderedCount, 2);
    closeTo(reward.meanSolvability, 0.8);
    closeTo(reward.meanDifficulty, 0.2);
    assert.equal(reward.renders[1], null);
    assert.deepEqual(reward.clusterShares, { caption: 0.5, easyQuestion: 0.5, hardQuestion: 0.5 });
  });
  test("its twin renders nothing: base 0 and no trivial-hard penalty, total -0.575", () => {
    const reward = scored(rewards[2]);
    assert.equal(reward.base, 0);
    assert.equal(reward.trivialHardPenalty, 0);
    closeTo(reward.total, -0.575);
  });
  test("triangle: base 1.3/4, unique and a minority type, total 0.325", () => {
    const reward = scored(rewards[3]);
    closeTo(reward.base, 0.325);
    assert.equal(reward.contentTypePenalty, 0);
    assert.equal(reward.diversity, 0);
    closeTo(reward.total, 0.325);
    assert.equal(reward.contentType, "geometry");
  });
  test("pie: trivially consistent hard question -0.3, caption classified as data_chart, total 0.125", () => {
    const reward = scored(rewards[4]);
    closeTo(reward.base, 0.5);
    assert.equal(reward.trivialHardPenalty, -0.3);
    assert.equal(reward.contentType, "data_chart");
    closeTo(reward.total, 0.125);
  });
  test("gated-on-easy: the triangle's hard question on an unreadable image (s = 0) earns nothing", () => {
    const gated = scoreProposerBatch(goldenBatch, resolveRewardConfig("gated-on-easy"));
    closeTo(scored(gated[3]).base, (0 + 0.7 + 0.2) / 4);
  });
});

describe("scoreProposerBatch: batch terms need two valid proposals", () => {
  test("a single valid proposal has no diversity term and no shares", () => {
    const judges = [failed, failed, failed, failed];
    const rewards = scoreProposerBatch(
      [{ kind: "unparsable" }, { kind: "parsed", proposal: triangle, judges }],
      release,
    );
    const reward = scored(rewards[1]);
    assert.deepEqual([reward.diversity, reward.clusterShares, reward.contentTypePenalty], [0, null, 0]);
  });
});

describe("contentTypePenalties", () => {
  test("golden: a share of exactly 1/2 is not over-represented; 3/4 costs 0.15 * 0.25 / 0.5", () => {
    assert.deepEqual(
      contentTypePenalties(["map", "map", "table", "diagram"], release.proposer),
      [0, 0, 0, 0],
    );
    const penalties = contentTypePenalties(["map", "map", "map", "table"], release.proposer);
    penalties.slice(0, 3).forEach((penalty) => {
      closeTo(penalty, -0.075);
    });
    assert.equal(penalties[3], 0);
  });
  test("golden: a single type, or a single proposal, has no spread to penalise", () => {
    assert.deepEqual(contentTypePenalties(["map", "map", "map"], release.proposer), [0, 0, 0]);
    assert.deepEqual(contentTypePenalties(["map"], release.proposer), [0]);
  });
});

describe("scoreProposerBatch: inconsistent inputs are errors", () => {
  test("a judge list that is not K long throws", () => {
    const outcome: ProposerOutcome = { kind: "parsed", proposal: triangle, judges: [failed, failed, failed] };
    assert.throws(() => scoreProposerBatch([outcome], release), InconsistentInputError);
  });
  test("a judge with other than M answers throws", () => {
    const judges = [judged(["2", "2"], ["x", "x", "x", "x", "x"]), failed, failed, failed];
    assert.throws(() => scoreProposerBatch([{ kind: "parsed", proposal: triangle, judges }], release), {
      name: "InconsistentInputError",
    });
  });
});

/** Proposals whose texts share no token with each other: distances between different ones are 1. */
const pool: readonly Proposal[] = Array.from({ length: 8 }, (_, index) => ({
  contentType: (["data_chart", "geometry", "table", "other"] as const)[index % 4]!,
  caption: `c${index}a c${index}b c${index}c c${index}d c${index}e`,
  easyQuestion: `e${index}a e${index}b e${index}c e${index}d`,
  easyAnswer: String(index),
  hardQuestion: `h${index}a h${index}b h${index}c h${index}d h${index}e h${index}f`,
  hardAnswer: "x",
}));
const answerArbitrary = fc.constantFrom("0", "1", "2", "3", "x", "y", "None", "");
const judgeArbitrary: fc.Arbitrary<JudgeResult> = fc.oneof(
  fc.constant(failed),
  fc
    .tuple(
      fc.array(answerArbitrary, { minLength: 5, maxLength: 5 }),
      fc.array(answerArbitrary, { minLength: 5, maxLength: 5 }),
    )
    .map(([easy, hard]) => judged(easy, hard)),
);
const outcomeArbitrary: fc.Arbitrary<ProposerOutcome> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ kind: "unparsable" } as const) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.constantFrom(...pool), fc.array(judgeArbitrary, { minLength: 4, maxLength: 4 }))
      .map(([proposal, judges]): ProposerOutcome => ({ kind: "parsed", proposal, judges })),
  },
);
const batchArbitrary = fc.array(outcomeArbitrary, { minLength: 1, maxLength: 10 });

describe("scoreProposerBatch: laws", () => {
  test("law: unparsable outputs score -1 whatever the batch", () => {
    fc.assert(
      fc.property(batchArbitrary, (batch) => {
        scoreProposerBatch(batch, release).forEach((reward, index) => {
          if (batch[index]!.kind === "unparsable")
            assert.deepEqual(reward, { kind: "unparsable", total: -1 });
        });
      }),
      { seed },
    );
  });
  test("law: raising a solvability already at or above the cap changes nothing", () => {
    fc.assert(
      fc.property(batchArbitrary, (batch) => {
        const raised = batch.map((outcome): ProposerOutcome => {
          if (outcome.kind === "unparsable") return outcome;
          const judges = outcome.judges.map((judge) =>
            judge.kind === "judged" && solvability(judge.easyAnswers, outcome.proposal.easyAnswer) >= 0.5
              ? judged(Array(5).fill(outcome.proposal.easyAnswer), judge.hardAnswers)
              : judge,
          );
          return { ...outcome, judges };
        });
        const before = scoreProposerBatch(batch, release).map((reward) => reward.total);
        const after = scoreProposerBatch(raised, release).map((reward) => reward.total);
        assert.deepEqual(after, before);
      }),
      { seed },
    );
  });
  test("law: when every render fails the base is 0 and there is no trivial-hard penalty", () => {
    fc.assert(
      fc.property(batchArbitrary, (batch) => {
        const allFailed = batch.map(
          (outcome): ProposerOutcome =>
            outcome.kind === "unparsable"
              ? outcome
              : { ...outcome, judges: [failed, failed, failed, failed] },
        );
        for (const reward of scoreProposerBatch(allFailed, release)) {
          if (reward.kind === "unparsable") continue;
          assert.equal(reward.base, 0);
          assert.equal(reward.trivialHardPenalty, 0);
        }
      }),
      { seed },
    );
  });
  test("law: the diversity term lies in [-0.5, 0.5] and the total is the sum of its terms", () => {
    fc.assert(
      fc.property(batchArbitrary, (batch) => {
        for (const reward of scoreProposerBatch(batch, release)) {
          if (reward.kind === "unparsable") continue;
          assert.ok(reward.diversity >= -0.5 && reward.diversity <= 0.5);
          const sum = reward.base + reward.trivialHardPenalty + reward.contentTypePenalty + reward.diversity;
          assert.equal(reward.total, sum);
        }
      }),
      { seed },
    );
  });
  test("law: permuting the batch permutes the rewards", () => {
    const batchWithPermutation = batchArbitrary.chain((batch) =>
      fc.tuple(
        fc.constant(batch),
        fc.shuffledSubarray([...batch.keys()], { minLength: batch.length, maxLength: batch.length }),
      ),
    );
    fc.assert(
      fc.property(batchWithPermutation, ([batch, order]) => {
        const rewards = scoreProposerBatch(batch, release);
        const permuted = scoreProposerBatch(
          order.map((index) => batch[index]!),
          release,
        );
        assert.deepEqual(
          permuted,
          order.map((index) => rewards[index]),
        );
      }),
      { seed },
    );
  });
  test("law: a duplicated proposal scores below unique ones with the same judgements", () => {
    const judges = [judged(["0", "0", "0", "0", "0"], ["x", "y", "x", "y", "z"]), failed, failed, failed];
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 7 }), { minLength: 2, maxLength: 8 }),
        (indices) => {
          const sameType = (index: number): Proposal => ({
            ...pool[index]!,
            contentType: "table",
            easyAnswer: "0",
          });
          const duplicated = sameType(indices[0]!);
          const batch: ProposerOutcome[] = [duplicated, ...indices.map(sameType)].map((proposal) => ({
            kind: "parsed",
            proposal,
            judges,
          }));
          const totals = scoreProposerBatch(batch, release).map((reward) => reward.total);
          for (const unique of totals.slice(2)) {
            assert.ok(totals[0]! < unique && totals[1]! < unique, JSON.stringify(totals));
          }
        },
      ),
      { seed },
    );
  });
});
