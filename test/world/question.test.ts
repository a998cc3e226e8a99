// Goal: the question grammar prints and parses as exact inverses, evaluates to the documented answers,
// and says why a question has no answer (typed failure kinds) instead of guessing.
// Method: fast-check over arbitrary ASTs (print -> parse identity), golden questions per content type
// with hand-computed answers, and one example per failure kind.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  evaluateQuestion,
  parseCaption,
  parseQuestion,
  QuestionParseError,
  questionLevel,
  questionSteps,
  questionText,
  questionWordsMax,
  type Scene,
} from "../../src/world/index.ts";
import { questionArbitrary } from "./arbitraries.ts";

function scene(caption: string): Scene {
  const parsed = parseCaption(caption);
  assert.ok(parsed.ok, caption);
  return parsed.value;
}

function answer(caption: string, question: string) {
  const parsed = parseQuestion(question);
  assert.ok(parsed.ok, question);
  const evaluated = evaluateQuestion(scene(caption), parsed.value);
  return evaluated.ok
    ? { answer: evaluated.value.answer, trace: evaluated.value.trace, steps: questionSteps(parsed.value) }
    : evaluated.error.kind;
}

const bars = "bar chart red 5 blue 3 green 7 yellow 3";
const shapes = "geometry red circle blue square red triangle red circle blue circle";
const table = "table red blue red ; blue blue green";
const network = "network diagram red blue green yellow links red blue red green blue green";

describe("question text", () => {
  test("print -> parse is the identity for every AST within the word limit", () => {
    fc.assert(
      fc.property(questionArbitrary, (question) => {
        const text = questionText(question);
        const parsed = parseQuestion(text);
        if (text.trim().split(" ").length > questionWordsMax) {
          assert.equal(parsed.ok, false);
          return;
        }
        assert.deepEqual(parsed, { ok: true, value: question });
      }),
      { seed: 21, numRuns: 1000 },
    );
  });

  test("malformed questions fail with the word where they leave the grammar", () => {
    const cases: [string, number][] = [
      ["", 0],
      ["value", 1],
      ["value pink", 1],
      ["count", 1],
      ["count red plus", 3],
      ["colour row 2", 3],
      ["colour row 0 column 1", 2],
      ["value red value blue", 2],
      ["red minus blue", 0],
      ["count red more", 3],
      ["count red circle above", 4],
      ["count all plus count all plus count all plus count all minus edges", 12],
    ];
    for (const [question, wordIndex] of cases) {
      const parsed = parseQuestion(question);
      assert.equal(parsed.ok, false, question);
      if (!parsed.ok) {
        assert.ok(parsed.error instanceof QuestionParseError);
        assert.equal(parsed.error.wordIndex, wordIndex, question);
      }
    }
  });
});

describe("question evaluation", () => {
  test("golden answers, traces and steps per content type", () => {
    const cases: [string, string, unknown][] = [
      [bars, "value green", { answer: 7, trace: [7], steps: 1 }],
      [bars, "count all", { answer: 4, trace: [4], steps: 1 }],
      [bars, "colour position 2", { answer: "blue", trace: [], steps: 1 }],
      [bars, "value green minus value blue", { answer: 4, trace: [7, 3], steps: 3 }],
      [bars, "total minus max", { answer: 11, trace: [18, 7], steps: 5 }],
      [bars, "count above 3", { answer: 2, trace: [2], steps: 2 }],
      [bars, "colour max", { answer: "green", trace: [7], steps: 2 }],
      [bars, "value red more value green plus value blue", { answer: "no", trace: [5, 7, 3], steps: 5 }],
      [bars, "value red over value red", { answer: 1, trace: [5, 5], steps: 3 }],
      [shapes, "count red circle", { answer: 2, trace: [2], steps: 1 }],
      [shapes, "shape row 1 column 3", { answer: "triangle", trace: [], steps: 1 }],
      [shapes, "count red row 2", { answer: 1, trace: [1], steps: 2 }],
      [shapes, "shape most", { answer: "circle", trace: [3], steps: 2 }],
      [shapes, "colour most circle", { answer: "red", trace: [2], steps: 2 }],
      [shapes, "colour fewest row 1", { answer: "blue", trace: [1], steps: 3 }],
      [
        shapes,
        "count circle minus count square equal count triangle plus count triangle",
        { answer: "yes", trace: [3, 1, 1, 1], steps: 7 },
      ],
      [table, "colour row 2 column 3", { answer: "green", trace: [], steps: 1 }],
      [table, "count blue", { answer: 3, trace: [3], steps: 1 }],
      [table, "count blue column 2", { answer: 2, trace: [2], steps: 2 }],
      [table, "colour most row 1", { answer: "red", trace: [2], steps: 3 }],
      [table, "count purple", { answer: 0, trace: [0], steps: 1 }],
      [network, "links blue", { answer: 2, trace: [2], steps: 1 }],
      [network, "edges", { answer: 3, trace: [3], steps: 1 }],
      [network, "links yellow", { answer: 0, trace: [0], steps: 1 }],
      [network, "count above 1", { answer: 3, trace: [3], steps: 2 }],
      [network, "colour min", { answer: "yellow", trace: [0], steps: 2 }],
      [network, "edges minus links red less count all", { answer: "yes", trace: [3, 2, 4], steps: 5 }],
    ];
    for (const [caption, question, expected] of cases) {
      assert.deepEqual(answer(caption, question), expected, `${caption} | ${question}`);
    }
  });

  test("each failure kind", () => {
    const cases: [string, string, string][] = [
      [bars, "count circle", "not-applicable"],
      [bars, "links red", "not-applicable"],
      [table, "value red", "not-applicable"],
      [table, "max", "not-applicable"],
      [shapes, "count above 2", "not-applicable"],
      [network, "colour position 1", "not-applicable"],
      [bars, "shape position 1", "not-applicable"],
      [bars, "value purple", "absent"],
      [bars, "colour position 5", "absent"],
      [table, "colour row 3 column 1", "absent"],
      [bars, "colour min", "tie"],
      [table, "colour most column 1", "tie"],
      [shapes, "shape most green", "empty"],
      [bars, "value red over value blue", "not-whole"],
      [bars, "value red over count purple", "not-whole"],
      [bars, "total over count all", "not-whole"],
      [bars, "total plus total plus total plus total", "out-of-range"],
    ];
    for (const [caption, question, kind] of cases) assert.equal(answer(caption, question), kind, question);
  });

  test("easy means exactly one step", () => {
    fc.assert(
      fc.property(questionArbitrary, (question) => {
        assert.equal(questionLevel(question) === "easy", questionSteps(question) === 1);
        assert.ok(questionSteps(question) >= 1);
      }),
      { seed: 22, numRuns: 300 },
    );
  });
});
