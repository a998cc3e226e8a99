// Goal: text helpers reproduce Python's whitespace semantics, which decide BLEU tokens and tag parsing.
// Method: characters where Python and JavaScript disagree (U+001C..U+001F, U+0085, U+FEFF).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { collapseTagWhitespace, stripWhitespace, whitespaceTokens } from "../../src/rewards/index.ts";

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
