/**
 * The Solver's answer format: `<think>` the numbers read `</think>\boxed{ answer}`. The trace lists one
 * number per term of the question (and the winning measure or count of a max/min or most/fewest), so a
 * composition is answered by first reading its parts: perception the base learns, arithmetic the loop
 * can improve. The boxed answer keeps its word's leading space; answer extraction strips it.
 */
import assert from "node:assert/strict";
import { answerWord, type Evaluation } from "./evaluate.ts";
import { numberToken, wordToken } from "./lexicon.ts";
import { questionWordsMax } from "./question-text.ts";

export const thinkOpenToken = "<think>";
export const thinkCloseToken = "</think>";
export const boxedOpenToken = "\\boxed{";
export const boxedCloseToken = "}";

/** A question of at most 12 words has at most 6 terms (term, operator, term, ...). */
export const traceNumbersMax = Math.ceil(questionWordsMax / 2);

export function solverAnswerTokens(evaluation: Evaluation): string[] {
  assert(evaluation.trace.length <= traceNumbersMax, `trace of ${evaluation.trace.length} numbers`);
  return [
    thinkOpenToken,
    ...evaluation.trace.map(numberToken),
    thinkCloseToken,
    boxedOpenToken,
    wordToken(answerWord(evaluation.answer)),
    boxedCloseToken,
  ];
}

export function solverAnswerText(evaluation: Evaluation): string {
  return solverAnswerTokens(evaluation).join("");
}
