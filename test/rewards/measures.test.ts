// Goal: solvability and difficulty follow the reference's formulas, including the d table for M = 5
// valid answers. Method: hand-computed tables, fast-check laws on c in [0, 1] and on answer samples.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  difficulty,
  InconsistentInputError,
  judgeImage,
  majorityVote,
  solvability,
} from "../../src/rewards/index.ts";

const seed = 3_005;

function closeTo(actual: number, expected: number, tolerance = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);
}

describe("difficulty", () => {
  // M = 5 valid answers: c = (size of the majority bucket) / 5.
  const table: readonly [readonly string[], number, number, number][] = [
    [["1", "2", "3", "4", "5"], 1 / 5, 0.2, 0.4],
    [["1", "1", "2", "3", "4"], 2 / 5, 0.4, 0.8],
    [["1", "1", "1", "2", "3"], 3 / 5, 0.4, 0.8],
    [["1", "1", "1", "1", "2"], 4 / 5, 0.2, 0.4],
    [["1", "1", "1", "1", "1"], 5 / 5, 0, 0],
  ];
  test("golden: the d table for M = 5 valid answers, both shapes", () => {
    for (const [answers, consistency, minShape, rZeroShape] of table) {
      const vote = majorityVote(answers);
      closeTo(vote.consistency, consistency);
      closeTo(difficulty(vote.consistency, "min"), minShape);
      closeTo(difficulty(vote.consistency, "r-zero"), rZeroShape);
    }
  });
  test("golden: no valid hard answer gives c = 0 and d = 0 (the release's quirk, kept)", () => {
    assert.equal(difficulty(majorityVote(["None", "", "n/a", "-", "null"]).consistency, "min"), 0);
  });
  const consistencyArbitrary = fc.double({ min: 0, max: 1, noNaN: true });
  test("law: min shape is in [0, 0.5], symmetric in c and 1 - c, maximal at 1/2", () => {
    fc.assert(
      fc.property(consistencyArbitrary, (c) => {
        const d = difficulty(c, "min");
        assert.ok(d >= 0 && d <= 0.5);
        closeTo(d, difficulty(1 - c, "min"));
        assert.ok(d <= difficulty(0.5, "min"));
      }),
      { seed },
    );
    assert.equal(difficulty(0.5, "min"), 0.5);
  });
  test("law: r-zero shape is twice the min shape", () => {
    fc.assert(
      fc.property(consistencyArbitrary, (c) => closeTo(difficulty(c, "r-zero"), 2 * difficulty(c, "min"))),
      { seed },
    );
  });
});

describe("solvability", () => {
  test("golden: equivalents of the easy answer over all M samples, None included in the denominator", () => {
    assert.equal(solvability(["3", "3.0", "three", "4", "None"], "3"), 3 / 5);
  });
  test("an empty easy answer or an empty sample never matches", () => {
    assert.equal(solvability(["", "", ""], ""), 0);
    assert.equal(solvability(["", "3"], "3"), 1 / 2);
  });
  test("law: s is in [0, 1] and s * M is a whole number", () => {
    const answer = fc.constantFrom("3", "03", "three", "4", "None", "", "blue");
    fc.assert(
      fc.property(fc.array(answer, { minLength: 1, maxLength: 10 }), answer, (answers, easy) => {
        const s = solvability(answers, easy);
        assert.ok(s >= 0 && s <= 1);
        closeTo(s * answers.length, Math.round(s * answers.length));
      }),
      { seed },
    );
  });
});

describe("judgeImage", () => {
  const options = { samplesPerImage: 5, difficultyShape: "min" as const };
  test("golden: s, c, d and the hard majority label of one image", () => {
    const judgement = judgeImage(["3", "3", "3", "3", "2"], ["7", "7", "8", "9", "None"], "3", options);
    assert.deepEqual(judgement, {
      solvability: 0.8,
      hardConsistency: 0.5,
      difficulty: 0.5,
      hardMajorityLabel: "7",
    });
  });
  test("a wrong number of Solver answers is an error, never a score", () => {
    assert.throws(() => judgeImage(["3"], ["3", "3", "3", "3", "3"], "3", options), InconsistentInputError);
    assert.throws(() => judgeImage(["3", "3", "3", "3", "3"], [], "3", options), InconsistentInputError);
  });
});
