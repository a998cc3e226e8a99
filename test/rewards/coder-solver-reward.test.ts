// Goal: the Coder reward's tiers and floor and the Solver reward's accuracy and format terms match the
// release. Method: hand-computed cases per tier and per format rule; a fast-check law for the floor.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  type CoderOutcome,
  type CoderRollout,
  InconsistentInputError,
  isSvgLike,
  normaliseAnswer,
  resolveRewardConfig,
  scoreCoder,
  scoreSolverResponse,
  solvabilityAnchors,
  solverFormatOk,
} from "../../src/rewards/index.ts";

const seed = 3_007;
const release = resolveRewardConfig("release");

function closeTo(actual: number, expected: number, tolerance = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);
}

const answer = fc.constantFrom("3", "three", "4", "a", "None", "");
const outcome: fc.Arbitrary<CoderOutcome> = fc.oneof(
  fc
    .record({ codeExtracted: fc.boolean(), svgLike: fc.boolean() })
    .map((flags) => ({ kind: "render-failed" as const, ...flags })),
  fc
    .tuple(fc.array(answer, { minLength: 5, maxLength: 5 }), fc.array(answer, { minLength: 5, maxLength: 5 }))
    .map(([easyAnswers, hardAnswers]) => ({ kind: "rendered" as const, easyAnswers, hardAnswers })),
);

describe("scoreCoder", () => {
  test("golden: a render scores 1 + s + d with s uncapped (1 + 0.8 + 0.4)", () => {
    const reward = scoreCoder(
      { kind: "rendered", easyAnswers: ["3", "3", "3", "3", "4"], hardAnswers: ["a", "a", "b", "b", "c"] },
      "3",
      release,
    );
    assert.equal(reward.kind, "rendered");
    closeTo(reward.total, 2.2);
  });
  test("golden: failure tiers -(0.1 + 0.05 [no code] + 0.5 [not SVG-like]) floored at -0.5", () => {
    // With no code extracted the release judges the empty code, never SVG-like, whatever the output
    // looked like (a truncated `<svg` in an html fence): the floor, not -0.15.
    const cases: readonly [boolean, boolean, number, number][] = [
      [true, true, -0.1, 0.1],
      [false, true, -0.5, 0.65],
      [true, false, -0.5, 0.6],
      [false, false, -0.5, 0.65],
    ];
    for (const [codeExtracted, svgLike, total, penalty] of cases) {
      const reward = scoreCoder({ kind: "render-failed", codeExtracted, svgLike }, "3", release);
      assert.equal(reward.kind, "render-failed");
      closeTo(reward.total, total);
      if (reward.kind === "render-failed") {
        closeTo(reward.penalty, penalty);
        assert.equal(reward.svgLike, codeExtracted && svgLike);
      }
    }
  });
  test("law: a failed render with no code extracted always floors at -0.5 (the release judges empty code)", () => {
    fc.assert(
      fc.property(fc.boolean(), (svgLike) => {
        const reward = scoreCoder({ kind: "render-failed", codeExtracted: false, svgLike }, "3", release);
        assert.equal(reward.total, -0.5);
      }),
      { seed },
    );
  });
  test("a rendered image with other than M answers is an error, never a score", () => {
    assert.throws(
      () => scoreCoder({ kind: "rendered", easyAnswers: ["3"], hardAnswers: ["3"] }, "3", release),
      InconsistentInputError,
    );
  });
  test("isSvgLike: stripped code starts with '<' or contains '<svg' in any case", () => {
    for (const code of ["<svg/>", "  <?xml version='1.0'?>", "here: <SVG width='1'>", "<g/>"]) {
      assert.ok(isSvgLike(code), code);
    }
    for (const code of ["", "   ", "plot(x)", "svg"]) assert.ok(!isSvgLike(code), JSON.stringify(code));
  });
  test("law: every Coder reward is at least -0.5; a render is at least 1", () => {
    fc.assert(
      fc.property(outcome, (candidate) => {
        const reward = scoreCoder(candidate, "3", release);
        assert.ok(reward.total >= -0.5);
        if (reward.kind === "rendered") assert.ok(reward.total >= 1 && reward.total <= 2.5);
      }),
      { seed },
    );
  });
  test("law (difficultyGate deviation): d is dropped exactly where s is below the gate; failures unchanged", () => {
    fc.assert(
      fc.property(outcome, fc.constantFrom(0, 0.2, 0.5, 0.6, 1), (candidate, gate) => {
        const gated = resolveRewardConfig({ preset: "release", coder: { difficultyGate: gate } });
        const released = scoreCoder(candidate, "3", release);
        const reward = scoreCoder(candidate, "3", gated);
        if (reward.kind !== "rendered" || released.kind !== "rendered") {
          assert.deepEqual(reward, released);
          return;
        }
        const expected = reward.solvability >= gate ? released.total : 1 + reward.solvability;
        closeTo(reward.total, expected);
        assert.equal(reward.difficulty, released.difficulty, "the judgement itself is unchanged");
      }),
      { seed },
    );
  });
  test("golden (difficultyGate 0.5): an image read right 2 times in 5 earns 1 + s, without its d", () => {
    const gated = resolveRewardConfig({ preset: "release", coder: { difficultyGate: 0.5 } });
    const reward = scoreCoder(
      { kind: "rendered", easyAnswers: ["3", "3", "4", "4", "4"], hardAnswers: ["a", "a", "b", "b", "c"] },
      "3",
      gated,
    );
    closeTo(reward.total, 1.4);
  });
});

describe("solvabilityAnchors", () => {
  const consensus = resolveRewardConfig({ preset: "release", coder: { solvabilityAnchor: "consensus" } });
  const rendered = (easy: string): CoderOutcome => ({
    kind: "rendered",
    easyAnswers: [easy, easy, easy, easy, "None"],
    hardAnswers: ["a", "a", "b", "b", "c"],
  });
  const failed: CoderOutcome = { kind: "render-failed", codeExtracted: true, svgLike: true };
  test("golden: three renders read 3, one reads 5; the Proposer said 7", () => {
    const rollouts: CoderRollout[] = ["3", "5", "3", "3"].map((easy) => ({
      group: "p",
      outcome: rendered(easy),
      easyAnswer: "7",
    }));
    assert.deepEqual(solvabilityAnchors(rollouts, release), ["7", "7", "7", "7"]);
    const anchors = solvabilityAnchors(rollouts, consensus);
    assert.deepEqual(anchors, ["3", "3", "3", "3"]);
    const totals = rollouts.map(
      (rollout, index) => scoreCoder(rollout.outcome, anchors[index]!, consensus).total,
    );
    // 1 + s + d with d = 0.4 for every render: s is 0.8 where the render shows what the others show.
    for (const [index, expected] of [2.2, 1.4, 2.2, 2.2].entries()) closeTo(totals[index]!, expected);
  });
  test("golden: failed renders add no answers; a tie or a group without renders has no anchor", () => {
    const rollouts: CoderRollout[] = [
      { group: "tie", outcome: rendered("3"), easyAnswer: "3" },
      { group: "tie", outcome: rendered("5"), easyAnswer: "3" },
      { group: "tie", outcome: failed, easyAnswer: "3" },
      { group: "dark", outcome: failed, easyAnswer: "3" },
      { group: "one", outcome: failed, easyAnswer: "3" },
      { group: "one", outcome: rendered("4"), easyAnswer: "3" },
    ];
    assert.deepEqual(solvabilityAnchors(rollouts, consensus), ["", "", "", "", "4", "4"]);
  });
  const rollouts = fc.array(
    fc.record({ group: fc.constantFrom("a", "b", "c"), outcome, easyAnswer: fc.constantFrom("3", "4", "") }),
    { maxLength: 12 },
  );
  test("law (consensus): anchors ignore the Proposer's answers and the rollouts' order", () => {
    fc.assert(
      fc.property(
        rollouts.chain((drawn) =>
          fc.tuple(
            fc.constant(drawn),
            fc.shuffledSubarray([...drawn.keys()], { minLength: drawn.length, maxLength: drawn.length }),
            fc.array(fc.constantFrom("3", "7", ""), { minLength: drawn.length, maxLength: drawn.length }),
          ),
        ),
        ([drawn, order, otherAnswers]) => {
          // The anchor's class matters (s counts equivalent answers), not which spelling came first.
          const classes = (found: readonly string[]) => found.map(normaliseAnswer);
          const anchors = classes(solvabilityAnchors(drawn, consensus));
          const relabelled = drawn.map((rollout, index) => ({
            ...rollout,
            easyAnswer: otherAnswers[index]!,
          }));
          assert.deepEqual(classes(solvabilityAnchors(relabelled, consensus)), anchors);
          const reordered = solvabilityAnchors(
            order.map((index) => drawn[index]!),
            consensus,
          );
          assert.deepEqual(
            classes(reordered),
            order.map((index) => anchors[index]!),
          );
          for (const [index, rollout] of drawn.entries())
            for (const [other, peer] of drawn.entries())
              if (peer.group === rollout.group)
                assert.equal(anchors[other], anchors[index], "one anchor per group");
        },
      ),
      { seed },
    );
  });
  test("law (release): the anchor is the proposal's easy answer", () => {
    fc.assert(
      fc.property(rollouts, (drawn) => {
        assert.deepEqual(
          solvabilityAnchors(drawn, release),
          drawn.map((rollout) => rollout.easyAnswer),
        );
      }),
      { seed },
    );
  });
});

describe("scoreSolverResponse", () => {
  const cases: readonly [string, string, number, boolean, boolean][] = [
    ["<think>count the bars</think> \\boxed{3}", "3", 1, true, true],
    ["<think>x</think>\\boxed{4}", "3", 0.1, false, true],
    ["the answer is \\boxed{three}", "3", 0.9, true, false],
    ["< think >x< / think >\n\\boxed{ 3.0 }\n", "3", 1, true, true],
    ["<think>x</think>\\boxed{3} because", "3", 0.9, true, false],
    ["<think>x</think> no box", "3", 0, false, false],
  ];
  test("golden: 0.9 * eq(answer, label) + 0.1 * format_ok on each format rule", () => {
    for (const [response, label, total, correct, formatOk] of cases) {
      const reward = scoreSolverResponse(response, label, release);
      closeTo(reward.total, total);
      assert.equal(reward.correct, correct, response);
      assert.equal(reward.formatOk, formatOk, response);
      assert.equal(solverFormatOk(response), formatOk, response);
    }
  });
  test("the answer is the last box of the tag-normalised response, None without one", () => {
    assert.equal(scoreSolverResponse("\\boxed{1} \\boxed{a / b}", "x", release).answer, "a/b");
    assert.equal(scoreSolverResponse("nothing", "x", release).answer, "None");
  });
  test("a non-answer pseudo-label is an error (the dataset filter never emits one)", () => {
    assert.throws(() => scoreSolverResponse("\\boxed{}", "", release), InconsistentInputError);
    assert.throws(() => scoreSolverResponse("\\boxed{None}", "None", release), InconsistentInputError);
  });
});
