/**
 * The Solver's answer format: `<think>` the workings `</think>\boxed{ answer}`. Two styles of workings:
 *   reads     one number per term of the question in reading order (and the winning measure or count of
 *             a max/min or most/fewest): a composition's arithmetic then happens inside the one answer
 *             token, a step the model can barely learn (shared/notes/learning-diagnosis.md);
 *   workings  the same reads with every operation written out and followed by its result, and a
 *             comparison's comparator between its two sides (`5 minus 3 2 plus 7 9`, `5 more 7`): every
 *             token is one atomic step (a read, an operation on the two numbers just before it, or a
 *             comparison), so errors of long compositions are independent slips a majority vote can
 *             outvote (docs/learning.md).
 * The boxed answer keeps its word's leading space; answer extraction strips it.
 */
import assert from "node:assert/strict";
import { answerWord, type Evaluation, type WorkingsToken, workingsSpellable } from "./evaluate.ts";
import { numberToken, wordToken } from "./lexicon.ts";
import { questionWordsMax } from "./question-text.ts";

export const thinkOpenToken = "<think>";
export const thinkCloseToken = "</think>";
export const boxedOpenToken = "\\boxed{";
export const boxedCloseToken = "}";

export const solverTraceStyles = ["reads", "workings"] as const;
export type SolverTraceStyle = (typeof solverTraceStyles)[number];

/** A question of at most 12 words has at most 6 terms (term, operator, term, ...). */
export const traceNumbersMax = Math.ceil(questionWordsMax / 2);
/** Workings of at most 6 terms: 6 reads, 5 operations and 5 results, or a comparator instead of one. */
export const workingsTokensMax = 3 * traceNumbersMax - 2;

function workingsTokenText(token: WorkingsToken): string {
  return typeof token === "number" ? numberToken(token) : wordToken(token);
}

/** Whether the evaluation can be written in this style (workings may hold an unspellable intermediate). */
export function solverAnswerWritable(evaluation: Evaluation, style: SolverTraceStyle): boolean {
  return style === "reads" || workingsSpellable(evaluation.workings);
}

export function solverAnswerTokens(evaluation: Evaluation, style: SolverTraceStyle = "reads"): string[] {
  assert(evaluation.trace.length <= traceNumbersMax, `trace of ${evaluation.trace.length} numbers`);
  assert(evaluation.workings.length <= workingsTokensMax, `workings of ${evaluation.workings.length} tokens`);
  assert(solverAnswerWritable(evaluation, style), "workings with a number outside the world's range");
  const think =
    style === "reads" ? evaluation.trace.map(numberToken) : evaluation.workings.map(workingsTokenText);
  return [
    thinkOpenToken,
    ...think,
    thinkCloseToken,
    boxedOpenToken,
    wordToken(answerWord(evaluation.answer)),
    boxedCloseToken,
  ];
}

export function solverAnswerText(evaluation: Evaluation, style: SolverTraceStyle = "reads"): string {
  return solverAnswerTokens(evaluation, style).join("");
}
