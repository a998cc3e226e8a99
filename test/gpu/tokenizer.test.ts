// Goal: the closed-vocabulary tokenizer round-trips every text it accepts, is canonical (greedy
// longest match), lays out special ids as documented, and rejects what it cannot encode with the
// position and text.
// Method: fast-check over random concatenations of entries from small vocabularies with shared
// prefixes (where greedy choices matter), plus hand-written cases for the errors and ids.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  InvalidVocabularyError,
  specialTokenIds,
  Tokenizer,
  UnencodableTextError,
  UnknownTokenIdError,
} from "../../src/gpu/tokenizer.ts";

const entries = ["a", "ab", "abc", "b", "bc", " ", " red", "red", "\n", "<svg>", "1", "12"];
const tokenizer = new Tokenizer(entries, {
  pad: "<pad>",
  bos: "<bos>",
  eos: "<eos>",
  markers: ["<caption>"],
});
const textArbitrary = fc
  .array(fc.constantFrom(...entries, "<caption>", "<eos>"), { maxLength: 30 })
  .map((parts) => parts.join(""));

describe("Tokenizer", () => {
  test("decode(encode(text)) is the text for every concatenation of entries", () => {
    fc.assert(
      fc.property(textArbitrary, (text) => {
        assert.equal(tokenizer.decode(tokenizer.encode(text)), text);
      }),
      { seed: 5 },
    );
  });

  test("encoding is canonical: re-encoding decoded tokens gives the same tokens", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: tokenizer.size - 1 }), { maxLength: 20 }), (ids) => {
        const canonical = tokenizer.encode(tokenizer.decode(ids));
        assert.deepEqual(tokenizer.encode(tokenizer.decode(canonical)), canonical);
      }),
      { seed: 6 },
    );
  });

  test("takes the longest entry at each position", () => {
    assert.deepEqual(
      tokenizer.encode("abcab").map((id) => tokenizer.textOf(id)),
      ["abc", "ab"],
    );
    assert.deepEqual(
      tokenizer.encode("121").map((id) => tokenizer.textOf(id)),
      ["12", "1"],
    );
    assert.deepEqual(
      tokenizer.encode(" red red").map((id) => tokenizer.textOf(id)),
      [" red", " red"],
    );
  });

  test("puts pad, bos, eos first, then markers, then entries in order", () => {
    assert.equal(tokenizer.padId, specialTokenIds.pad);
    assert.equal(tokenizer.idOf("<pad>"), 0);
    assert.equal(tokenizer.idOf("<bos>"), 1);
    assert.equal(tokenizer.idOf("<eos>"), 2);
    assert.equal(tokenizer.idOf("<caption>"), 3);
    assert.equal(tokenizer.idOf("a"), 4);
    assert.equal(tokenizer.size, entries.length + 4);
  });

  test("rejects text it cannot cover, naming the position", () => {
    assert.throws(
      () => tokenizer.encode("ab red?"),
      (error: unknown) =>
        error instanceof UnencodableTextError && error.position === 6 && error.remaining === "?",
    );
    assert.throws(() => tokenizer.encode("c"), UnencodableTextError);
    assert.throws(() => tokenizer.decode([tokenizer.size]), UnknownTokenIdError);
    assert.throws(() => tokenizer.idOf("abcd"), UnencodableTextError);
  });

  test("refuses duplicate or empty entries", () => {
    assert.throws(() => new Tokenizer(["a", "a"]), InvalidVocabularyError);
    assert.throws(() => new Tokenizer(["a", ""]), InvalidVocabularyError);
    assert.throws(() => new Tokenizer(["<eos>"]), InvalidVocabularyError);
  });
});

describe("encodeSkipping", () => {
  test("equals encode on encodable text and drops exactly the characters no entry covers", async () => {
    const { Tokenizer } = await import("../../src/gpu/index.ts");
    const tokenizer = new Tokenizer([" red", " blue", "<a>", "</a>"]);
    const exact = tokenizer.encode("<a> red blue</a>");
    assert.deepEqual(tokenizer.encodeSkipping("<a> red blue</a>"), { tokens: exact, droppedCharacters: 0 });
    const skipped = tokenizer.encodeSkipping("<a> other red</a>");
    assert.equal(tokenizer.decode(skipped.tokens), "<a> red</a>");
    assert.equal(skipped.droppedCharacters, " other".length);
  });
});
