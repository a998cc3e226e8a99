// Goal: the precondition averaged over several votes (`mmzero eval --draws`) is right: with one draw it
// is the single-vote report's analysis; it does not depend on the order of the draws, nor change when every
// draw is repeated; its groups (answer kind, step count) partition the hard items, so their leads
// weighted by size give the overall lead; mismatched draws are refused; answer kinds are classified.
// Method: fast-check over random draws of item results.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  analyseVoteDraws,
  answerKind,
  type ItemResult,
  summariseEvaluation,
  type VoteDrawsAnalysis,
} from "../../src/pretrain/index.ts";
import type { MeanInterval } from "../../src/report/index.ts";

const span = { minimum: 0.25, maximum: 0.75 };

const itemShape = fc.record({
  level: fc.constantFrom("easy", "hard", "hard"),
  steps: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }),
  answer: fc.constantFrom("3", "-2", "yes", "no", "red", "circle"),
  greedyCorrect: fc.boolean(),
});
const vote = fc.record({
  majorityCorrect: fc.boolean(),
  consistency: fc.double({ min: 0.1, max: 1, noNaN: true }),
});

/** Items and, for each of 1-5 draws, one vote per item. */
const drawsArbitrary = fc
  .tuple(fc.array(itemShape, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 5 }))
  .chain(([items, drawCount]) =>
    fc
      .array(fc.array(vote, { minLength: items.length, maxLength: items.length }), {
        minLength: drawCount,
        maxLength: drawCount,
      })
      .map((votes) =>
        votes.map((draw) =>
          items.map(
            (item, index): ItemResult => ({
              id: `item-${index}`,
              contentType: "table",
              level: item.level,
              steps: item.steps,
              answer: item.answer,
              greedyAnswer: item.greedyCorrect ? item.answer : "other",
              greedyCorrect: item.greedyCorrect,
              majorityAnswer: draw[index]!.majorityCorrect ? item.answer : "other",
              majorityCorrect: draw[index]!.majorityCorrect,
              consistency: draw[index]!.consistency,
            }),
          ),
        ),
      ),
  );

const close = (left: number, right: number) => Math.abs(left - right) < 1e-9;

function sameInterval(left: MeanInterval, right: MeanInterval): boolean {
  const bound = (first: number | null, second: number | null) =>
    (first === null && second === null) || (first !== null && second !== null && close(first, second));
  return (
    left.n === right.n &&
    close(left.mean, right.mean) &&
    bound(left.low, right.low) &&
    bound(left.high, right.high)
  );
}

function sameAnalysis(left: VoteDrawsAnalysis, right: VoteDrawsAnalysis): boolean {
  const sameGroups = (first: Record<string, MeanInterval>, second: Record<string, MeanInterval>) =>
    Object.keys(first).join() === Object.keys(second).join() &&
    Object.keys(first).every((key) => sameInterval(first[key]!, second[key]!));
  return (
    sameInterval(left.majorityMinusGreedy, right.majorityMinusGreedy) &&
    sameInterval(left.band.pseudoLabelMinusGreedy, right.band.pseudoLabelMinusGreedy) &&
    close(left.band.pseudoLabelRight, right.band.pseudoLabelRight) &&
    close(left.band.greedyRight, right.band.greedyRight) &&
    sameGroups(left.byAnswerKind, right.byAnswerKind) &&
    sameGroups(left.bySteps, right.bySteps)
  );
}

describe("the precondition over several draws", () => {
  test("one draw is the single-vote analysis of the hard items", () => {
    fc.assert(
      fc.property(drawsArbitrary, (draws) => {
        const [first] = draws;
        const analysis = analyseVoteDraws([first!], span);
        // The single-vote report `mmzero eval` prints, whose band is the release's, as `span` is.
        const single = summariseEvaluation(first!, 1).hardSelfConsistency!;
        assert.ok(sameInterval(analysis.majorityMinusGreedy, single.majorityMinusGreedy));
        assert.ok(sameInterval(analysis.band.pseudoLabelMinusGreedy, single.band.pseudoLabelMinusGreedy));
        assert.equal(analysis.band.itemDraws, single.band.pseudoLabelRight.total);
        if (single.band.pseudoLabelRight.total > 0) {
          assert.ok(close(analysis.band.pseudoLabelRight, single.band.pseudoLabelRight.accuracy));
          assert.ok(close(analysis.band.greedyRight, single.band.greedyRight.accuracy));
        }
      }),
      { seed: 31, numRuns: 200 },
    );
  });

  test("the order of the draws does not matter, and repeating every draw changes nothing", () => {
    fc.assert(
      fc.property(drawsArbitrary, (draws) => {
        const analysis = analyseVoteDraws(draws, span);
        assert.equal(analysis.draws, draws.length);
        assert.ok(sameAnalysis(analysis, analyseVoteDraws([...draws].reverse(), span)));
        const doubled = analyseVoteDraws([...draws, ...draws], span);
        assert.ok(sameAnalysis(analysis, doubled));
        assert.equal(doubled.band.itemDraws, 2 * analysis.band.itemDraws);
      }),
      { seed: 32, numRuns: 200 },
    );
  });

  test("answer kinds and step counts partition the hard items: their leads, weighted by size, give the overall", () => {
    fc.assert(
      fc.property(drawsArbitrary, (draws) => {
        const analysis = analyseVoteDraws(draws, span);
        const hard = draws[0]!.filter((result) => result.level === "hard").length;
        assert.equal(analysis.majorityMinusGreedy.n, hard);
        for (const groups of [analysis.byAnswerKind, analysis.bySteps] as Record<string, MeanInterval>[]) {
          const intervals = Object.values(groups);
          assert.equal(
            intervals.reduce((sum, interval) => sum + interval.n, 0),
            hard,
          );
          const weighted = intervals.reduce((sum, interval) => sum + interval.n * interval.mean, 0);
          assert.ok(close(weighted, hard * analysis.majorityMinusGreedy.mean));
        }
        assert.ok(analysis.majorityMinusGreedy.mean >= -1 && analysis.majorityMinusGreedy.mean <= 1);
      }),
      { seed: 33, numRuns: 200 },
    );
  });

  test("draws of other items, other greedy answers or without samples are refused", () => {
    const result: ItemResult = {
      id: "a",
      contentType: "table",
      level: "hard",
      steps: 2,
      answer: "3",
      greedyAnswer: "3",
      greedyCorrect: true,
      majorityAnswer: "3",
      majorityCorrect: true,
      consistency: 0.5,
    };
    assert.throws(() => analyseVoteDraws([], span), RangeError);
    assert.throws(() => analyseVoteDraws([[result], [{ ...result, id: "b" }]], span), RangeError);
    assert.throws(
      () => analyseVoteDraws([[result], [{ ...result, greedyCorrect: false }]], span),
      RangeError,
    );
    assert.throws(() => analyseVoteDraws([[result], [result, result]], span), RangeError);
    assert.throws(
      () => analyseVoteDraws([[{ ...result, majorityCorrect: null, consistency: null }]], span),
      RangeError,
    );
  });

  test("answer kinds: whole numbers, yes/no and words", () => {
    assert.deepEqual(["7", "-20", " 60 ", "Yes", "no", "red", "circle", "7.5"].map(answerKind), [
      "number",
      "number",
      "number",
      "yes/no",
      "yes/no",
      "word",
      "word",
      "word",
    ]);
  });
});
