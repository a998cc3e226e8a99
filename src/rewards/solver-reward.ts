/**
 * The Solver reward per response: `accuracyWeight * eq(answer, pseudoLabel) + formatWeight * format_ok`.
 * The response is whitespace-normalised around tags first (as the release does), then the answer is the
 * last balanced `\boxed{...}` and the format is ok when the whole text matches
 * `<think>.*?</think>\s*\\boxed\{.*?\}\s*$` (dot matches newlines).
 */
import { answersEquivalent, extractFinalAnswer, isNonAnswer } from "./answers.ts";
import type { RewardConfig } from "./config.ts";
import { InconsistentInputError } from "./errors.ts";
import { collapseTagWhitespace, pythonWhitespaceClass } from "./text.ts";
import { workingsConsistent } from "./workings.ts";

// Python's `re.fullmatch` of the release's pattern: anchored at both ends, `[\s\S]` for DOTALL's dot,
// Python's whitespace set for `\s`.
const solverFormatPattern = new RegExp(
  `^<think>[\\s\\S]*?</think>${pythonWhitespaceClass}*\\\\boxed\\{[\\s\\S]*?\\}${pythonWhitespaceClass}*$`,
);

export interface SolverReward {
  readonly total: number;
  /** The extracted answer ("None" when no complete `\boxed{}`). */
  readonly answer: string;
  readonly correct: boolean;
  readonly formatOk: boolean;
  /**
   * With `requireConsistentWorkings`, whether the workings are consistent with the answer (`correct`
   * then needs it); null when the configuration does not check.
   */
  readonly workingsConsistent: boolean | null;
}

/** Whether a response, once tag-normalised, has the required `<think>...</think> \boxed{...}` shape. */
export function solverFormatOk(response: string): boolean {
  return solverFormatPattern.test(collapseTagWhitespace(response));
}

/**
 * Scores one Solver response against the pseudo-label (the hard question's majority answer). With the
 * `requireConsistentWorkings` deviation the answer must also follow from the response's own workings.
 */
export function scoreSolverResponse(
  response: string,
  pseudoLabel: string,
  config: RewardConfig,
): SolverReward {
  if (isNonAnswer(pseudoLabel)) {
    throw new InconsistentInputError(
      "Solver pseudo-label",
      "a valid majority answer",
      JSON.stringify(pseudoLabel),
    );
  }
  const normalised = collapseTagWhitespace(response);
  const answer = extractFinalAnswer(normalised);
  const consistent = config.solver.requireConsistentWorkings ? workingsConsistent(normalised, answer) : null;
  const correct = answersEquivalent(answer, pseudoLabel) && consistent !== false;
  const formatOk = solverFormatPattern.test(normalised);
  const total =
    config.solver.accuracyWeight * (correct ? 1 : 0) + config.solver.formatWeight * (formatOk ? 1 : 0);
  return { total, answer, correct, formatOk, workingsConsistent: consistent };
}
