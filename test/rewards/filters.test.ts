// Goal: the Coder prompt render-rate band and the Solver dataset consistency bands keep exactly what
// the release keeps, boundaries included; the named deviations only ever drop more. Method: hand-built
// samples at and around every boundary; fast-check over the Solver's workings for the composition filter.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  answeredAsComposition,
  filterCoderPrompt,
  filterSolverItem,
  type HardSample,
  InconsistentInputError,
  resolveRewardConfig,
} from "../../src/rewards/index.ts";

const release = resolveRewardConfig("release");
/** The Proposer's claimed answers for the image's easy and hard questions. */
const proposer = { easyAnswer: "5", hardAnswer: "a" };
const repeat = (answer: string, count: number): string[] => Array(count).fill(answer);
/** The Solver's hard samples for these answers; `texts` (default: each answer boxed) are the responses. */
const hardSamples = (answers: readonly string[], texts?: readonly string[]): HardSample[] =>
  answers.map((answer, index) => ({ answer, text: texts?.[index] ?? `\\boxed{ ${answer}}` }));
/** The filter on plain hard answers (and, for the workings deviation, their responses). */
const filter = (
  easy: readonly string[],
  hard: readonly string[],
  claimed: typeof proposer,
  config: typeof release,
  texts?: readonly string[],
) => filterSolverItem(easy, hardSamples(hard, texts), claimed, config);

describe("filterCoderPrompt", () => {
  test("golden: render rate over 4 samples kept iff in [0.25, 0.75]", () => {
    const cases: readonly [boolean[], number, boolean][] = [
      [[false, false, false, false], 0, false],
      [[true, false, false, false], 0.25, true],
      [[true, false, true, false], 0.5, true],
      [[true, true, true, false], 0.75, true],
      [[true, true, true, true], 1, false],
    ];
    for (const [renders, renderRate, kept] of cases) {
      assert.deepEqual(filterCoderPrompt(renders, release), { kept, renderRate });
    }
  });
  test("a number of attempts other than the configured 4 is an error", () => {
    assert.throws(() => filterCoderPrompt([true, false, true], release), InconsistentInputError);
  });
});

describe("filterSolverItem", () => {
  const easyAgreeing = [...repeat("5", 6), ...repeat("4", 4)];
  test("golden: easy c = 0.6, hard c = 0.5 with majority 'a' is kept with pseudo-label 'a'", () => {
    const hard = [...repeat("a", 5), ...repeat("b", 3), ...repeat("c", 2)];
    assert.deepEqual(filter(easyAgreeing, hard, proposer, release), {
      kept: true,
      rejection: null,
      easyConsistency: 0.6,
      hardConsistency: 0.5,
      pseudoLabel: "a",
      easyLabel: "5",
      easyAgreesWithProposer: true,
    });
  });
  test("boundaries are inclusive: easy 0.5, hard 0.25 and 0.75 are kept", () => {
    const easyHalf = [...repeat("5", 5), "1", "2", "3", "4", "6"];
    assert.equal(filter(easyHalf, [...repeat("a", 5), ...repeat("b", 5)], proposer, release).kept, true);
    // 2 of 8 valid answers (the two "None" leave the denominator).
    const quarterHard = [...repeat("a", 2), ...repeat("None", 2), "b", "c", "d", "e", "f", "g"];
    const quarter = filter(easyAgreeing, quarterHard, proposer, release);
    assert.equal(quarter.hardConsistency, 0.25);
    assert.equal(quarter.kept, true);
    const threeQuarters = filter(
      easyAgreeing,
      [...repeat("a", 6), "b", "c", "None", "None"],
      proposer,
      release,
    );
    assert.equal(threeQuarters.hardConsistency, 0.75);
    assert.equal(threeQuarters.kept, true);
  });
  test("rejections: easy inconsistent, hard too consistent, hard too inconsistent, no majority", () => {
    const easyScattered = ["1", "1", "1", "1", "2", "3", "4", "5", "6", "7"];
    const torn = [...repeat("a", 5), ...repeat("b", 5)];
    assert.equal(filter(easyScattered, torn, proposer, release).rejection, "easy-inconsistent");
    assert.equal(
      filter(easyAgreeing, [...repeat("a", 8), "b", "c"], proposer, release).rejection,
      "hard-too-consistent",
    );
    const scattered = ["a", "a", "b", "c", "d", "e", "f", "g", "h", "i"];
    assert.equal(filter(easyAgreeing, scattered, proposer, release).rejection, "hard-too-inconsistent");
    const none = filter(easyAgreeing, repeat("None", 10), proposer, release);
    assert.deepEqual([none.rejection, none.pseudoLabel, none.kept], ["no-majority", "", false]);
  });
  test("cross-role agreement (a named deviation) drops items whose label the Proposer's hard answer contradicts", () => {
    const agreeing = resolveRewardConfig({ preset: "release", filters: { requireProposerAgreement: true } });
    const hard = [...repeat("a", 5), ...repeat("b", 5)];
    assert.equal(filter(easyAgreeing, hard, proposer, agreeing).kept, true);
    const disagreeing = filter(easyAgreeing, hard, { ...proposer, hardAnswer: "b" }, agreeing);
    assert.deepEqual([disagreeing.kept, disagreeing.rejection], [false, "proposer-disagrees"]);
    // The release ignores the Proposer's hard answer (it is never a label).
    assert.equal(filter(easyAgreeing, hard, { ...proposer, hardAnswer: "b" }, release).kept, true);
  });
  test("the easy majority is checked against the Proposer's easy answer", () => {
    const hard = [...repeat("a", 5), ...repeat("b", 5)];
    assert.equal(filter(easyAgreeing, hard, proposer, release).easyAgreesWithProposer, true);
    const other = filter(easyAgreeing, hard, { ...proposer, easyAnswer: "4" }, release);
    assert.deepEqual([other.easyLabel, other.easyAgreesWithProposer], ["5", false]);
    const silent = filter(repeat("None", 10), hard, proposer, release);
    assert.deepEqual([silent.easyLabel, silent.easyAgreesWithProposer], ["", false]);
  });
  test("the composition filter (a named deviation) drops hard items the Solver answers with a single read", () => {
    const composing = resolveRewardConfig({ preset: "release", filters: { minimumHardOperations: 1 } });
    const hard = [...repeat("a", 5), ...repeat("b", 5)];
    const read = "<think> 3 </think>\\boxed{ a}";
    const composed = "<think> 5 minus 2 3 </think>\\boxed{ a}";
    const single = filter(easyAgreeing, hard, proposer, composing, repeat(read, 10));
    assert.deepEqual([single.kept, single.rejection], [false, "hard-not-composition"]);
    const half = [...repeat(composed, 5), ...repeat(read, 5)];
    assert.equal(filter(easyAgreeing, hard, proposer, composing, half).kept, true);
    const fewer = [...repeat(composed, 4), ...repeat(read, 6)];
    assert.equal(filter(easyAgreeing, hard, proposer, composing, fewer).kept, false);
    const two = resolveRewardConfig({ preset: "release", filters: { minimumHardOperations: 2 } });
    assert.equal(filter(easyAgreeing, hard, proposer, two, half).kept, false);
    // The release reads no workings.
    assert.equal(filter(easyAgreeing, hard, proposer, release, repeat(read, 10)).kept, true);
  });
  test("property: the composition filter keeps a subset of what the release keeps, with the same labels", () => {
    const composing = resolveRewardConfig({ preset: "release", filters: { minimumHardOperations: 1 } });
    const response = fc.constantFrom(
      "<think> 3 </think>\\boxed{ a}",
      "<think> 5 minus 2 3 </think>\\boxed{ b}",
      "<think> 4 more 1 </think>\\boxed{ c}",
      "\\boxed{ a}",
    );
    const answers = fc.array(fc.constantFrom("a", "b", "c", "None"), { minLength: 10, maxLength: 10 });
    const responses = fc.array(response, { minLength: 10, maxLength: 10 });
    fc.assert(
      fc.property(answers, responses, (hard, texts) => {
        const released = filter(easyAgreeing, hard, proposer, release, texts);
        const filtered = filter(easyAgreeing, hard, proposer, composing, texts);
        if (filtered.kept) assert.equal(released.kept, true);
        assert.equal(filtered.pseudoLabel, released.pseudoLabel);
        if (released.kept)
          assert.equal(
            filtered.kept,
            answeredAsComposition(texts, 1),
            "only the composition test can drop it",
          );
      }),
      { seed: 5_103, numRuns: 300 },
    );
  });
  test("property: more composing responses never make an item less of a composition", () => {
    const flags = fc.array(fc.boolean(), { minLength: 1, maxLength: 16 });
    fc.assert(
      fc.property(flags, fc.nat(), (composes, at) => {
        const texts = composes.map((flag) => (flag ? "<think> 1 plus 1 2 </think>" : "<think> 1 </think>"));
        const upgraded = texts.map((text, index) =>
          index === at % texts.length ? "<think> 1 plus 1 2 </think>" : text,
        );
        if (answeredAsComposition(texts, 1)) assert.equal(answeredAsComposition(upgraded, 1), true);
        assert.equal(answeredAsComposition(texts, 1), 2 * composes.filter(Boolean).length >= composes.length);
      }),
      { seed: 5_104, numRuns: 300 },
    );
    assert.equal(answeredAsComposition([], 1), false);
  });
  test("a number of samples other than the configured 10 is an error", () => {
    assert.throws(() => filter(repeat("1", 9), repeat("a", 10), proposer, release), InconsistentInputError);
    assert.throws(() => filter(repeat("1", 10), repeat("a", 5), proposer, release), InconsistentInputError);
  });
});
