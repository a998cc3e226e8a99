// Goal: final-answer extraction, normalisation, equivalence and non-answers behave as the release's
// mathruler-based pipeline on the answers our world produces. Method: hand-picked cases for each rule,
// fast-check laws (reflexive, symmetric, transitive, idempotent) on generated answers.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  answersEquivalent,
  extractFinalAnswer,
  isNonAnswer,
  missingAnswer,
  normaliseAnswer,
} from "../../src/rewards/index.ts";

const seed = 3_001;

/** Answers in the shapes a Solver produces: numerals (padded, signed, decimal), spelled numbers, words. */
const answerArbitrary = fc.oneof(
  fc.integer({ min: -30, max: 30 }).map(String),
  fc
    .tuple(fc.integer({ min: 0, max: 99 }), fc.constantFrom("", ".0", ".50", ".", ".25"))
    .map(([n, f]) => `${n}${f}`),
  fc.integer({ min: 0, max: 20 }).map((n) => `0${n}`),
  fc.constantFrom(
    "three",
    "Three",
    " TWENTY ",
    "zero",
    "eleven",
    "blue",
    "Red",
    "dark  blue",
    "Q1",
    "n/a",
    "None",
    "",
  ),
  fc.string({ maxLength: 8 }),
);

describe("extractFinalAnswer", () => {
  test("takes the content of the last \\boxed{...}, stripped", () => {
    assert.equal(extractFinalAnswer("<think>x</think> \\boxed{ 3 }"), "3");
    assert.equal(extractFinalAnswer("\\boxed{1} then \\boxed{2}"), "2");
  });
  test("balances nested braces", () => {
    assert.equal(extractFinalAnswer("\\boxed{\\frac{1}{2}}"), "\\frac{1}{2}");
  });
  test("returns None without a box or when the last box never closes", () => {
    assert.equal(extractFinalAnswer("the answer is 3"), missingAnswer);
    assert.equal(extractFinalAnswer("\\boxed{3} and \\boxed{4"), missingAnswer);
    assert.equal(missingAnswer, "None");
  });
  test("the innermost-last opening wins, as mathruler's rfind does", () => {
    assert.equal(extractFinalAnswer("\\boxed{\\boxed{7}}"), "7");
  });
});

describe("normaliseAnswer and answersEquivalent", () => {
  test("numbers: 3 = 3.0 = 03 = +3 = three", () => {
    for (const variant of ["3.0", "03", "+3", "three", "Three", " 3 ", "3.", "003.000"]) {
      assert.ok(answersEquivalent("3", variant), variant);
    }
    assert.equal(normaliseAnswer(".50"), "0.5");
    assert.equal(normaliseAnswer("-0.0"), "0");
    assert.equal(normaliseAnswer("-2.10"), "-2.1");
    assert.equal(normaliseAnswer("twenty"), "20");
  });
  test("case and whitespace, but not different words or numbers", () => {
    assert.ok(answersEquivalent("Dark   Blue", " dark blue"));
    assert.ok(!answersEquivalent("blue", "red"));
    assert.ok(!answersEquivalent("3", "30"));
    assert.ok(!answersEquivalent("3", "3.01"));
    assert.ok(!answersEquivalent("twenty-one", "21"));
  });
  test("long numerals stay exact (no float rounding)", () => {
    assert.ok(!answersEquivalent("12345678901234567890", "12345678901234567891"));
  });
  test("law: normalisation is idempotent", () => {
    fc.assert(
      fc.property(
        answerArbitrary,
        (answer) => normaliseAnswer(normaliseAnswer(answer)) === normaliseAnswer(answer),
      ),
      { seed },
    );
  });
  test("law: equivalence is reflexive and symmetric", () => {
    fc.assert(
      fc.property(answerArbitrary, answerArbitrary, (first, second) => {
        assert.ok(answersEquivalent(first, first));
        assert.equal(answersEquivalent(first, second), answersEquivalent(second, first));
      }),
      { seed },
    );
  });
  test("law: equivalence is transitive", () => {
    fc.assert(
      fc.property(answerArbitrary, answerArbitrary, answerArbitrary, (a, b, c) => {
        if (answersEquivalent(a, b) && answersEquivalent(b, c)) assert.ok(answersEquivalent(a, c));
      }),
      { seed },
    );
  });
});

describe("isNonAnswer", () => {
  test("empty, none, n/a, na, null, unknown, - in any case count as no answer", () => {
    for (const answer of ["", "  ", "None", "NONE", "n/a", "N/A", "na", "Null", "unknown", "-", " - "]) {
      assert.ok(isNonAnswer(answer), JSON.stringify(answer));
    }
  });
  test("real answers, including zero and 'no', are answers", () => {
    for (const answer of ["0", "no", "nan", "none of them", "--"]) assert.ok(!isNonAnswer(answer), answer);
  });
});
