/**
 * The shared measures computed from M Solver samples on one rendered image: solvability (visual
 * verification against the Proposer's easy answer) and difficulty (from the Solver's self-consistency
 * on the hard question).
 */
import assert from "node:assert/strict";
import { answersEquivalent } from "./answers.ts";
import type { DifficultyShape } from "./config.ts";
import { InconsistentInputError } from "./errors.ts";
import { majorityVote } from "./majority.ts";
import { stripWhitespace } from "./text.ts";

/**
 * `s = #{samples equivalent to easyAnswer} / M`. The denominator counts every sample ("None" included);
 * an empty sample or an empty easy answer never matches (the release's `if ans and easy_answer`). Once
 * the easy answer is known to be non-empty, equivalence alone excludes empty samples.
 */
export function solvability(answers: readonly string[], easyAnswer: string): number {
  if (answers.length === 0) {
    throw new InconsistentInputError("solvability", "at least one Solver answer", "none");
  }
  if (stripWhitespace(easyAnswer).length === 0) return 0;
  const matches = answers.filter((answer) => answersEquivalent(answer, easyAnswer)).length;
  return matches / answers.length;
}

/** `min(c, 1 - c)` (peak 0.5) or R-Zero's `1 - 2|c - 1/2|` (peak 1), both maximal at c = 1/2. */
export function difficulty(consistency: number, shape: DifficultyShape): number {
  assert(consistency >= 0 && consistency <= 1, `consistency ${consistency} outside [0, 1]`);
  switch (shape) {
    case "min":
      return Math.min(consistency, 1 - consistency);
    case "r-zero":
      return 1 - 2 * Math.abs(consistency - 0.5);
    default: {
      const unknownShape: never = shape;
      throw new Error(`unknown difficulty shape ${String(unknownShape)}`);
    }
  }
}

/** What M Solver samples on one rendered image say about a proposal's two questions. */
export interface ImageJudgement {
  readonly solvability: number;
  /** Self-consistency of the hard answers (0 when none is valid: the release's quirk, kept). */
  readonly hardConsistency: number;
  readonly difficulty: number;
  /** The hard question's majority answer ("" when none is valid). */
  readonly hardMajorityLabel: string;
}

/** Solvability and difficulty of one image from its M easy and M hard answers. */
export function judgeImage(
  easyAnswers: readonly string[],
  hardAnswers: readonly string[],
  easyAnswer: string,
  options: { readonly samplesPerImage: number; readonly difficultyShape: DifficultyShape },
): ImageJudgement {
  const expected = `${options.samplesPerImage} answers (M)`;
  if (easyAnswers.length !== options.samplesPerImage) {
    throw new InconsistentInputError("easy-question Solver answers", expected, `${easyAnswers.length}`);
  }
  if (hardAnswers.length !== options.samplesPerImage) {
    throw new InconsistentInputError("hard-question Solver answers", expected, `${hardAnswers.length}`);
  }
  const vote = majorityVote(hardAnswers);
  return {
    solvability: solvability(easyAnswers, easyAnswer),
    hardConsistency: vote.consistency,
    difficulty: difficulty(vote.consistency, options.difficultyShape),
    hardMajorityLabel: vote.label,
  };
}

/**
 * The difficulty an image contributes when it is gated on its solvability: d when there is no gate or
 * s reaches it, else 0. One rule for the Proposer's `gated-on-easy` and the Coder's `difficultyGate`.
 */
export function gatedDifficulty(judgement: ImageJudgement, gate: number | undefined): number {
  return gate === undefined || judgement.solvability >= gate ? judgement.difficulty : 0;
}
