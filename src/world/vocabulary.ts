/**
 * The closed vocabulary of the world: every string the three roles read or write is a concatenation
 * of these entries, and greedy longest-match tokenization recovers the generators' own token sequences
 * (tested in test/world/vocabulary.test.ts). The order is fixed so token ids are stable; append new
 * entries at the end of their section and note it in docs/world.md.
 */
import assert from "node:assert/strict";
import { captionKeywords } from "./caption.ts";
import { layoutTokens } from "./layout.ts";
import { colours, numberMax, numberMin, shapes, wordToken, worldContentTypes } from "./lexicon.ts";
import { promptTagTokens, topics } from "./prompts.ts";
import { questionKeywords } from "./question-text.ts";
import { boxedCloseToken, boxedOpenToken, thinkCloseToken, thinkOpenToken } from "./solver-answer.ts";
import { svgFenceCloseToken, svgFenceOpenToken } from "./svg-writer.ts";

export const answerWords = ["yes", "no"] as const;

function buildVocabulary(): readonly string[] {
  const words = new Set<string>([
    ...worldContentTypes,
    ...captionKeywords,
    ...questionKeywords,
    ...colours,
    ...shapes,
    ...answerWords,
    ...topics.flatMap((topic) => topic.split(" ")),
  ]);
  const numbers = Array.from({ length: numberMax - numberMin + 1 }, (_, index) => String(numberMin + index));
  const entries = [
    ...promptTagTokens(),
    thinkOpenToken,
    thinkCloseToken,
    boxedOpenToken,
    boxedCloseToken,
    svgFenceOpenToken,
    svgFenceCloseToken,
    ...[...words].map(wordToken),
    ...numbers.map(wordToken),
    ...layoutTokens(),
  ];
  assert.equal(new Set(entries).size, entries.length, "vocabulary entries must be unique");
  return Object.freeze(entries);
}

let cached: readonly string[] | undefined;

/** Every token string of the world, in a fixed order (ids are indices into this list). */
export function worldVocabulary(): readonly string[] {
  cached ??= buildVocabulary();
  return cached;
}
