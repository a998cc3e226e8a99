// Goal: text helpers reproduce Python's whitespace semantics, which decide BLEU tokens and tag parsing.
// ASCII-case-insensitive search reproduces `needle in text.lower()` without moving indexes.
// Method: characters where Python and JavaScript disagree (U+001C..U+001F, U+0085, U+FEFF); fast-check
// laws for the case-insensitive search against a reference.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  asciiLowerCase,
  collapseTagWhitespace,
  indexOfIgnoringAsciiCase,
  stripWhitespace,
  whitespaceTokens,
} from "../../src/rewards/index.ts";

describe("Python whitespace", () => {
  test("str.split(): U+001C and U+0085 separate, U+FEFF does not (Python's result)", () => {
    assert.deepEqual(whitespaceTokens(" a\u001cb\u0085c\ufeffd\u3000e "), ["a", "b", "c\ufeffd", "e"]);
    assert.deepEqual(whitespaceTokens(" \t\n "), []);
  });
  test("str.strip(): U+001F is stripped, U+FEFF is kept", () => {
    assert.equal(stripWhitespace("\ufeff x \u001f"), "\ufeff x");
  });
  test("the release's tag normalisation removes whitespace around <, > and /", () => {
    assert.equal(collapseTagWhitespace("< think >\n a / b </ think >"), "<think>a/b</think>");
  });
});

describe("ASCII-case-insensitive search", () => {
  const letters = fc.constantFrom("<", "s", "S", "v", "V", "g", "G", "/", ">", "\u0130", "\u017f", "x", " ");
  const text = fc.array(letters, { maxLength: 40 }).map((parts) => parts.join(""));

  test("examples: any ASCII case matches; non-ASCII look-alikes do not", () => {
    assert.equal(indexOfIgnoringAsciiCase("ab <SvG width='1'>", "<svg"), 3);
    assert.equal(indexOfIgnoringAsciiCase("<svg></SVG>", "</svg>", 1), 5);
    assert.equal(indexOfIgnoringAsciiCase("<\u017fvg>", "<svg"), -1);
    // U+0130 lower-cases to two code units in JavaScript; the index after it must not shift.
    assert.equal(indexOfIgnoringAsciiCase("\u0130<SVG", "<svg"), 1);
  });

  test("law: lower-casing keeps the length and only changes A-Z", () => {
    fc.assert(
      fc.property(text, (input) => {
        const lowered = asciiLowerCase(input);
        assert.equal(lowered.length, input.length);
        for (let index = 0; index < input.length; index++) {
          const character = input[index]!;
          const expected = /[A-Z]/.test(character) ? character.toLowerCase() : character;
          assert.equal(lowered[index], expected);
        }
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  test("law: the index found is where a case-insensitive comparison first succeeds", () => {
    fc.assert(
      fc.property(text, fc.nat({ max: 40 }), (input, from) => {
        const found = indexOfIgnoringAsciiCase(input, "<svg", from);
        const matchesAt = (index: number) => asciiLowerCase(input.slice(index, index + 4)) === "<svg";
        let expected = -1;
        for (let index = Math.min(from, input.length); index + 4 <= input.length; index++) {
          if (matchesAt(index)) {
            expected = index;
            break;
          }
        }
        assert.equal(found, expected);
      }),
      { seed: 12, numRuns: 500 },
    );
  });
});
