// Goal: the step-wise workings (the Solver's `<think>` block in the "workings" style) are a faithful,
// replayable record of the evaluation: every token after the first read is one atomic step computed from
// the tokens just before it, and replaying them gives the answer; drills obey the same law, and a
// step-wise corpus is written only in the world's vocabulary and within the Solver's response budget.
// Method: fast-check over arbitrary scenes and questions, and over drill keys; a replay interpreter
// written here independently of the evaluator.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { responseTokensMax, worldTextCodec } from "../../src/policy/index.ts";
import { keyedRandom } from "../../src/rng/index.ts";
import { drawDrill } from "../../src/world/drills.ts";
import type { WorkingsToken } from "../../src/world/evaluate.ts";
import {
  corpusExample,
  evaluateQuestion,
  questionText,
  solverAnswerText,
  solverAnswerWritable,
  stepwiseCorpusOptions,
  workingsTokensMax,
} from "../../src/world/index.ts";
import { questionArbitrary, sceneArbitrary } from "./arbitraries.ts";

const operators = new Set(["plus", "minus", "over"]);
const comparators = new Set(["more", "less", "equal"]);

/**
 * Replays workings: `a (op b r)*` per side, an optional comparator between two sides. Checks each result
 * against its operation and returns the final value (or yes/no), plus the numbers read.
 */
function replay(workings: readonly WorkingsToken[]): { value: number | "yes" | "no"; reads: number[] } {
  const reads: number[] = [];
  let index = 0;
  const side = (): number => {
    const first = workings[index++];
    assert.equal(typeof first, "number", "a side starts with a read");
    reads.push(first as number);
    let value = first as number;
    while (index < workings.length && operators.has(String(workings[index]))) {
      const operator = workings[index++];
      const operand = workings[index++] as number;
      const result = workings[index++] as number;
      reads.push(operand);
      const expected =
        operator === "plus" ? value + operand : operator === "minus" ? value - operand : value / operand;
      assert.equal(
        result,
        expected,
        `${value} ${operator} ${operand} is ${expected}, workings say ${result}`,
      );
      value = result;
    }
    return value;
  };
  const left = side();
  if (index === workings.length) return { value: left, reads };
  const comparator = workings[index++];
  assert.ok(comparators.has(String(comparator)), `expected a comparator, got ${String(comparator)}`);
  const right = side();
  assert.equal(index, workings.length, "nothing follows the right side");
  const holds = comparator === "more" ? left > right : comparator === "less" ? left < right : left === right;
  return { value: holds ? "yes" : "no", reads };
}

describe("step-wise workings", () => {
  test("replaying an evaluation's workings gives its answer and reads exactly its trace", () => {
    let numeric = 0;
    fc.assert(
      fc.property(sceneArbitrary, questionArbitrary, (scene, question) => {
        const evaluated = evaluateQuestion(scene, question);
        if (!evaluated.ok) return;
        const { answer, trace, workings } = evaluated.value;
        assert.ok(workings.length <= workingsTokensMax);
        if (workings.length === 0 || (typeof answer !== "number" && !["yes", "no"].includes(answer))) {
          // Attribute questions: the workings are the trace (winning measure or nothing).
          assert.deepEqual(workings, trace);
          return;
        }
        numeric += 1;
        const replayed = replay(workings);
        assert.equal(replayed.value, answer, questionText(question));
        assert.deepEqual(replayed.reads, trace);
      }),
      { seed: 13, numRuns: 3000 },
    );
    assert.ok(numeric > 150, `only ${numeric} numeric or yes/no questions had answers`);
  });

  test("drills replay to their answer, spell only world numbers and ask what the workings read", () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), (index) => {
        const drill = drawDrill(keyedRandom("drill-test", index));
        const replayed = replay(drill.workings);
        assert.equal(replayed.value, drill.answer);
        const questionWords = drill.workings.filter(
          (token, position) =>
            // The question is the workings without the results (each result follows op, operand).
            !(typeof token === "number" && operators.has(String(drill.workings[position - 2]))),
        );
        assert.equal(drill.question, questionWords.join(" "));
        assert.ok(
          solverAnswerWritable({ answer: drill.answer, trace: [], workings: drill.workings }, "workings"),
        );
      }),
      { seed: 5, numRuns: 2000 },
    );
  });

  test("the step-wise corpus tokenizes exactly and fits the Solver's response budget", () => {
    const codec = worldTextCodec();
    let drills = 0;
    for (let index = 0; index < 2000; index++) {
      const example = corpusExample("workings-test", "solver", index, stepwiseCorpusOptions);
      assert.equal(example.role, "solver");
      if (example.role !== "solver") continue;
      if (example.caption === "") drills += 1;
      const tokens = codec.responseTokens(example.target);
      assert.ok(tokens.length <= responseTokensMax.solver, `${example.target}: ${tokens.length} tokens`);
      assert.equal(codec.responseText(tokens), example.target);
    }
    // 20% drills: 400 expected, the bounds are ~6 standard deviations wide.
    assert.ok(drills > 290 && drills < 510, `${drills} drills in 2000 examples`);
  });

  test("the reads style writes the trace and is always writable", () => {
    fc.assert(
      fc.property(sceneArbitrary, questionArbitrary, (scene, question) => {
        const evaluated = evaluateQuestion(scene, question);
        if (!evaluated.ok) return;
        assert.ok(solverAnswerWritable(evaluated.value, "reads"));
        const think = solverAnswerText(evaluated.value, "reads").split("</think>")[0]!.replace("<think>", "");
        assert.equal(think, evaluated.value.trace.map((value) => ` ${value}`).join(""));
      }),
      { seed: 17, numRuns: 500 },
    );
  });
});
