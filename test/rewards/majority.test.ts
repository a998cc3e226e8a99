// Goal: the majority vote buckets equivalent answers, ignores non-answers, and is invariant under
// permutations of the samples. Method: hand-computed votes, and fast-check over small answer alphabets
// (so that buckets collide often) with random permutations.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { isNonAnswer, majorityVote, normaliseAnswer, uniqueMajority } from "../../src/rewards/index.ts";

const seed = 3_002;
const answerArbitrary = fc.constantFrom(
  "3",
  "3.0",
  "three",
  "4",
  "04",
  "blue",
  "Blue ",
  "None",
  "",
  "n/a",
  "-",
);
const samplesWithPermutation = fc
  .array(answerArbitrary, { maxLength: 12 })
  .chain((answers) =>
    fc.tuple(
      fc.constant(answers),
      fc.shuffledSubarray(answers, { minLength: answers.length, maxLength: answers.length }),
    ),
  );

describe("majorityVote", () => {
  test("golden: non-answers leave count and denominator, equivalents share a bucket", () => {
    const vote = majorityVote(["3", "3.0", "None", "three", "4", ""]);
    assert.deepEqual(vote, {
      label: "3",
      consistency: 3 / 4,
      majorityCount: 3,
      validCount: 4,
      bucketCount: 2,
    });
  });
  test("golden: no valid answer gives an empty label and c = 0", () => {
    assert.deepEqual(majorityVote(["None", "", "N/A", "unknown"]), {
      label: "",
      consistency: 0,
      majorityCount: 0,
      validCount: 0,
      bucketCount: 0,
    });
    assert.equal(majorityVote([]).consistency, 0);
  });
  test("golden: on a tie the bucket opened first wins, as Python's max over a dict", () => {
    assert.equal(majorityVote(["b", "a", "a", "b"]).label, "b");
    assert.equal(majorityVote(["a", "b"]).label, "a");
    assert.equal(majorityVote(["a", "b"]).consistency, 0.5);
  });
  test("law: c is in [0, 1] and is at least 1/|valid| when some answer is valid", () => {
    fc.assert(
      fc.property(fc.array(answerArbitrary, { maxLength: 12 }), (answers) => {
        const vote = majorityVote(answers);
        assert.ok(vote.consistency >= 0 && vote.consistency <= 1);
        if (vote.validCount > 0) assert.ok(vote.consistency >= 1 / vote.validCount);
        else assert.equal(vote.consistency, 0);
      }),
      { seed },
    );
  });
  test("law: permuting the samples keeps c, and the label's class when the top bucket is unique", () => {
    fc.assert(
      fc.property(samplesWithPermutation, ([answers, permuted]) => {
        const original = majorityVote(answers);
        const shuffled = majorityVote(permuted);
        assert.equal(shuffled.consistency, original.consistency);
        assert.equal(shuffled.bucketCount, original.bucketCount);
        const counts = new Map<string, number>();
        for (const answer of answers.filter((candidate) => !isNonAnswer(candidate))) {
          const key = normaliseAnswer(answer);
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        const topBuckets = [...counts.values()].filter((count) => count === original.majorityCount);
        if (topBuckets.length === 1)
          assert.equal(normaliseAnswer(shuffled.label), normaliseAnswer(original.label));
      }),
      { seed },
    );
  });
});

describe("uniqueMajority", () => {
  test("golden: the leading class's first answer; a tie or no valid answer gives none", () => {
    assert.equal(uniqueMajority(["4", "3", "three", "None"]), "3");
    assert.equal(uniqueMajority(["b", "a", "a", "b"]), "");
    assert.equal(uniqueMajority(["None", ""]), "");
    assert.equal(uniqueMajority([]), "");
  });
  test("law: order-independent, and the vote's label exactly when the vote's top bucket is unique", () => {
    fc.assert(
      fc.property(samplesWithPermutation, ([answers, permuted]) => {
        const unique = uniqueMajority(answers);
        assert.equal(normaliseAnswer(uniqueMajority(permuted)), normaliseAnswer(unique));
        const vote = majorityVote(answers);
        const leaders = new Set(
          answers
            .filter((answer) => !isNonAnswer(answer))
            .map(normaliseAnswer)
            .filter(
              (key) =>
                answers.filter((answer) => normaliseAnswer(answer) === key).length === vote.majorityCount,
            ),
        );
        assert.equal(unique, leaders.size === 1 ? vote.label : "");
      }),
      { seed },
    );
  });
});
