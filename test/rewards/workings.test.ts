// Goal: the workings reader is the exact inverse of the world's workings writer, its consistency check
// accepts exactly the workings whose every written result and final answer follow from the reads, and
// the `requireConsistentWorkings` deviation only ever takes accuracy away, never adds it. Method:
// fast-check over generated workings (written right, then with one slip), the world's own step-wise
// corpus answers, and the Solver reward with and without the deviation on the same responses.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  extractFinalAnswer,
  parseWorkings,
  replayWorkings,
  resolveRewardConfig,
  scoreSolverResponse,
  workingsConsistent,
  workingsOperations,
} from "../../src/rewards/index.ts";
import { corpusExample, stepwiseLongCorpusOptions } from "../../src/world/index.ts";

const seed = 3_021;
const learning = resolveRewardConfig("learning");
const checked = resolveRewardConfig({ solver: { requireConsistentWorkings: true } });

interface Generated {
  readonly ops: readonly string[];
  readonly reads: readonly number[];
  readonly written: readonly number[];
  readonly answer: string;
}

/** One side: a first read, then (operator, operand) pairs kept only where `over` divides exactly. */
const sideArbitrary = fc.tuple(
  fc.integer({ min: -20, max: 60 }),
  fc.array(fc.tuple(fc.constantFrom("plus", "minus", "over"), fc.integer({ min: -20, max: 60 })), {
    maxLength: 4,
  }),
);

const workingsArbitrary: fc.Arbitrary<Generated> = fc
  .tuple(sideArbitrary, fc.option(fc.tuple(fc.constantFrom("more", "less", "equal"), sideArbitrary)))
  .map(([left, right]) => {
    const ops: string[] = [];
    const reads: number[] = [];
    const written: number[] = [];
    const side = ([first, rest]: [number, [string, number][]]) => {
      let value = first;
      reads.push(first);
      for (const [op, operand] of rest) {
        if (op === "over" && (operand === 0 || value % operand !== 0)) continue;
        // `+ 0` turns the -0 of `0 over -5` into the 0 a response writes.
        value = (op === "plus" ? value + operand : op === "minus" ? value - operand : value / operand) + 0;
        ops.push(op);
        reads.push(operand);
        written.push(value);
      }
      return value;
    };
    const leftValue = side(left);
    if (right === null) return { ops, reads, written, answer: String(leftValue) };
    const [comparator, rightSide] = right;
    ops.push(comparator);
    const rightValue = side(rightSide);
    const holds =
      comparator === "more"
        ? leftValue > rightValue
        : comparator === "less"
          ? leftValue < rightValue
          : leftValue === rightValue;
    return { ops, reads, written, answer: holds ? "yes" : "no" };
  });

/** The response text a Solver writes for these workings (the `workings` trace style). */
function responseOf(workings: Generated, written = workings.written, answer = workings.answer): string {
  const words: string[] = [String(workings.reads[0])];
  let read = 1;
  let result = 0;
  for (const op of workings.ops) {
    words.push(op, String(workings.reads[read++]));
    if (op === "plus" || op === "minus" || op === "over") words.push(String(written[result++]));
  }
  return `<think> ${words.join(" ")} </think>\\boxed{ ${answer}}`;
}

describe("workings reader", () => {
  test("property: parsing written workings gives back their operations, reads and results", () => {
    fc.assert(
      fc.property(workingsArbitrary, (workings) => {
        const parsed = parseWorkings(responseOf(workings));
        assert.deepEqual(parsed, { ops: workings.ops, reads: workings.reads, written: workings.written });
        assert.equal(replayWorkings(workings.ops, workings.reads), workings.answer);
        assert.equal(workingsConsistent(responseOf(workings), workings.answer), true);
      }),
      { seed, numRuns: 300 },
    );
  });

  test("property: one wrong written result, or an answer the workings do not give, is inconsistent", () => {
    const slipped = workingsArbitrary
      .filter((workings) => workings.written.length > 0)
      .chain((workings) =>
        fc.tuple(
          fc.constant(workings),
          fc.nat({ max: workings.written.length - 1 }),
          fc.integer({ min: 1, max: 9 }),
        ),
      );
    fc.assert(
      fc.property(slipped, ([workings, at, by]) => {
        const written = workings.written.map((value, index) => (index === at ? value + by : value));
        assert.equal(workingsConsistent(responseOf(workings, written), workings.answer), false);
      }),
      { seed, numRuns: 300 },
    );
    fc.assert(
      fc.property(workingsArbitrary, fc.integer({ min: 1, max: 9 }), (workings, by) => {
        const numeric = Number(workings.answer);
        const other = Number.isNaN(numeric)
          ? workings.answer === "yes"
            ? "no"
            : "yes"
          : String(numeric + by);
        assert.equal(workingsConsistent(responseOf(workings, workings.written, other), other), false);
      }),
      { seed, numRuns: 300 },
    );
  });

  test("the world's step-wise answers read back as consistent with their true answers", () => {
    let hard = 0;
    for (let index = 0; index < 400; index++) {
      const example = corpusExample("workings-reader", "solver", index, stepwiseLongCorpusOptions);
      if (example.role !== "solver") continue;
      hard += example.level === "hard" ? 1 : 0;
      assert.equal(extractFinalAnswer(example.target), example.answer.trim(), example.target);
      assert.equal(workingsConsistent(example.target, example.answer), true, example.target);
    }
    assert.ok(hard >= 40, `only ${hard} hard examples among 400`);
  });

  test("property: the operations counted are the workings' own, and a single read has none", () => {
    fc.assert(
      fc.property(workingsArbitrary, (workings) => {
        assert.equal(workingsOperations(responseOf(workings)), workings.ops.length);
      }),
      { seed, numRuns: 300 },
    );
    assert.equal(workingsOperations("<think> 3 </think>\\boxed{ red}"), 0);
    assert.equal(workingsOperations("<think> 5 minus 3 2 more 1 </think>\\boxed{ yes}"), 2);
    assert.equal(
      workingsOperations("<think> 5 minus </think>\\boxed{ 5}"),
      0,
      "malformed: no composition shown",
    );
    assert.equal(workingsOperations("\\boxed{ 5}"), 0, "no workings: no composition shown");
  });

  test("golden: selectors, direct answers and malformed workings", () => {
    assert.equal(workingsConsistent("<think> 3 </think>\\boxed{ red}", "red"), true);
    assert.equal(workingsConsistent("<think></think>\\boxed{ red}", "red"), true);
    assert.equal(workingsConsistent("<think></think>\\boxed{ 4}", "4"), false);
    assert.equal(workingsConsistent("<think> 3 </think>\\boxed{ yes}", "yes"), false);
    assert.equal(workingsConsistent("<think> 3 </think>\\boxed{ 4}", "4"), false);
    assert.equal(workingsConsistent("<think> 7 over 2 3 </think>\\boxed{ 3}", "3"), false);
    assert.equal(workingsConsistent("<think> 5 minus </think>\\boxed{ 5}", "5"), false);
    assert.equal(workingsConsistent("<think> 5 more 3 less 2 </think>\\boxed{ yes}", "yes"), false);
    assert.equal(workingsConsistent("<think> 05 </think>\\boxed{ 5}", "5"), false);
    assert.equal(workingsConsistent("\\boxed{ 5}", "5"), false);
    assert.equal(parseWorkings("<think></think>\\boxed{ 5}"), null);
  });
});

describe("requireConsistentWorkings (Solver reward deviation)", () => {
  test("absent in the presets: the reward does not check and records no verdict", () => {
    assert.equal(learning.solver.requireConsistentWorkings, undefined);
    assert.equal(scoreSolverResponse("<think> 1 plus 1 3 </think>\\boxed{ 2}", "2", learning).correct, true);
    assert.equal(
      scoreSolverResponse("<think> 1 plus 1 3 </think>\\boxed{ 2}", "2", learning).workingsConsistent,
      null,
    );
  });

  test("property: checking only removes accuracy, and removes it exactly where the workings slip", () => {
    const responses = fc.tuple(
      workingsArbitrary,
      fc.option(fc.integer({ min: 1, max: 9 })),
      fc.constantFrom("label-from-workings", "other-label"),
    );
    fc.assert(
      fc.property(responses, ([workings, slip, labelKind]) => {
        const written = slip === null ? workings.written : workings.written.map((value) => value + slip);
        const response = responseOf(workings, written);
        const label = labelKind === "other-label" ? "purple" : workings.answer;
        const plain = scoreSolverResponse(response, label, learning);
        const gated = scoreSolverResponse(response, label, checked);
        const consistent = slip === null || workings.written.length === 0;
        assert.equal(gated.workingsConsistent, consistent);
        assert.equal(gated.correct, plain.correct && consistent);
        assert.ok(gated.total <= plain.total);
        assert.equal(gated.formatOk, plain.formatOk);
        assert.equal(
          plain.total - gated.total,
          plain.correct && !consistent ? learning.solver.accuracyWeight : 0,
        );
      }),
      { seed, numRuns: 300 },
    );
  });
});
