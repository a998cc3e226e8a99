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
import { type WorkingsToken, workingsSpellable } from "../../src/world/evaluate.ts";
import {
  corpusExample,
  evaluateQuestion,
  orderedEvaluation,
  questionText,
  shuffledWorkings,
  solverAnswerText,
  solverAnswerWritable,
  stepwiseCorpusOptions,
  stepwiseLongCorpusOptions,
  stepwisePathsCorpusOptions,
  workingsReads,
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

// Goal: the "shuffled" workings order (workings-order.ts) writes another valid reasoning path to the same
// answer: replaying it left to right gives the question's answer, it reads a permutation of the question's
// reads, it never moves a term across `over`, and it is a pure function of its key. Method: fast-check over
// arbitrary scenes, questions and keys, with the replay interpreter above.
const workingsWords: readonly WorkingsToken[] = ["plus", "minus", "over", "more", "less", "equal"];

/** The workings a Solver target writes inside `<think>` (numbers back to numbers). */
function thinkWorkings(target: string): WorkingsToken[] {
  const think = target.split("</think>")[0]!.replace("<think>", "");
  return think
    .split(" ")
    .filter((word) => word !== "")
    .map((word): WorkingsToken => {
      if (Number.isFinite(Number(word))) return Number(word);
      const step = workingsWords.find((known) => known === word);
      assert.ok(step !== undefined, `not a workings word: ${word}`);
      return step;
    });
}

describe("shuffled workings order", () => {
  const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);
  const sides = (workings: readonly WorkingsToken[]): WorkingsToken[][] => {
    const at = workings.findIndex((token) => comparators.has(String(token)));
    return at < 0 ? [[...workings]] : [workings.slice(0, at), workings.slice(at + 1)];
  };

  test("replays to the question's answer, reads a permutation of its reads and is keyed", () => {
    let reordered = 0;
    fc.assert(
      fc.property(sceneArbitrary, questionArbitrary, fc.nat({ max: 1_000_000 }), (scene, question, key) => {
        const evaluated = evaluateQuestion(scene, question);
        if (!evaluated.ok) return;
        const { answer, trace, workings } = evaluated.value;
        const shuffled = shuffledWorkings(workings, keyedRandom("order-test", key));
        assert.deepEqual(shuffled, shuffledWorkings(workings, keyedRandom("order-test", key)));
        assert.equal(shuffled.length, workings.length);
        if (workings.length < 2) {
          // Selectors and single reads: nothing to reorder.
          assert.deepEqual(shuffled, workings);
          return;
        }
        const replayed = replay(shuffled);
        assert.equal(replayed.value, answer, questionText(question));
        assert.deepEqual(sorted(replayed.reads), sorted(trace));
        assert.deepEqual(workingsReads(shuffled), replayed.reads);
        if (workingsSpellable(workings)) assert.ok(workingsSpellable(shuffled), shuffled.join(" "));
        // A side that divides is written exactly as the question reads it (on either side).
        const shuffledSides = sides(shuffled).map((side) => side.join(" "));
        for (const side of sides(workings)) {
          if (side.includes("over")) assert.ok(shuffledSides.includes(side.join(" ")), shuffled.join(" "));
        }
        const ordered = orderedEvaluation(evaluated.value, "shuffled", keyedRandom("order-test", key));
        assert.deepEqual(ordered.workings, shuffled);
        assert.deepEqual(ordered.trace, replayed.reads);
        assert.equal(orderedEvaluation(evaluated.value, "question", keyedRandom("x")), evaluated.value);
        if (shuffled.join(" ") !== workings.join(" ")) reordered += 1;
      }),
      { seed: 29, numRuns: 3000 },
    );
    // Most arbitrary questions have no answer or one read; 52 of 3000 are reordered under this seed.
    assert.ok(reordered > 25, `only ${reordered} workings were reordered`);
  });

  test("draws every valid order: both sides first, and terms whose partial results stay spellable", () => {
    const seen = (workings: readonly WorkingsToken[]) => {
      const counts = new Map<string, number>();
      for (let key = 0; key < 400; key++) {
        const text = shuffledWorkings(workings, keyedRandom("order-draws", key)).join(" ");
        counts.set(text, (counts.get(text) ?? 0) + 1);
      }
      return counts;
    };
    // `5 plus 3` has two orders; `5 minus 3` only one (a side cannot start by subtracting).
    assert.deepEqual([...seen([5, "plus", 3, 8]).keys()].sort(), ["3 plus 5 8", "5 plus 3 8"]);
    assert.deepEqual([...seen([5, "minus", 3, 2]).keys()], ["5 minus 3 2"]);
    // A comparison is written right side first with the mirrored comparator about half the time.
    const mirrored = seen([2, "more", 7]);
    assert.deepEqual([...mirrored.keys()].sort(), ["2 more 7", "7 less 2"]);
    assert.ok((mirrored.get("7 less 2") ?? 0) > 150 && (mirrored.get("7 less 2") ?? 0) < 250);
    assert.deepEqual([...seen([4, "equal", 4]).keys()], ["4 equal 4"]);
    // `50 plus 9 minus 8`: the 4 orders that start with 50 or 9 (not with `minus 8`), all spellable.
    assert.equal(seen([50, "plus", 9, 59, "minus", 8, 51]).size, 4);
    // `0 minus 15 minus 9 plus 20`: orders whose partial result falls under -20 are never drawn.
    const bounded = seen([0, "minus", 15, -15, "minus", 9, -24, "plus", 20, -4]);
    for (const text of bounded.keys()) {
      const numbers = text.split(" ").map(Number).filter(Number.isFinite);
      assert.ok(
        numbers.every((value) => value >= -20 && value <= 60),
        text,
      );
    }
  });

  test("the stepwise-paths corpus keeps stepwise-long's examples and only reorders their workings", () => {
    const codec = worldTextCodec();
    let reordered = 0;
    for (let index = 0; index < 1000; index++) {
      const long = corpusExample("paths-test", "solver", index, stepwiseLongCorpusOptions);
      const paths = corpusExample("paths-test", "solver", index, stepwisePathsCorpusOptions);
      assert.ok(long.role === "solver" && paths.role === "solver");
      assert.deepEqual({ ...paths, target: long.target }, long);
      const tokens = codec.responseTokens(paths.target);
      assert.ok(tokens.length <= responseTokensMax.solver);
      assert.equal(codec.responseText(tokens), paths.target);
      const [pathsThink, longThink] = [paths.target, long.target].map(thinkWorkings);
      if (longThink!.length > 0) {
        const [pathsReplay, longReplay] = [replay(pathsThink!), replay(longThink!)];
        assert.equal(pathsReplay.value, longReplay.value, paths.target);
        assert.deepEqual(sorted(pathsReplay.reads), sorted(longReplay.reads));
      }
      if (paths.target !== long.target) reordered += 1;
      // An absent order is the question's: corpora written before the option keep their examples.
      assert.deepEqual(
        corpusExample("paths-test", "solver", index, {
          ...stepwiseLongCorpusOptions,
          solverWorkingsOrder: "question",
        }),
        long,
      );
    }
    assert.ok(reordered > 30, `only ${reordered} of 1000 examples reordered`);
  });
});
