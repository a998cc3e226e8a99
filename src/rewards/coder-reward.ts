/**
 * The Coder reward per SVG. Renders: `renderedBase + s + d` (no cap on s; M Solver samples on this
 * image; with the `difficultyGate` deviation d counts only when s reaches the gate). Fails:
 * `-(renderFailurePenalty + noCodePenalty*[no code extracted] + notSvgLikePenalty*[not SVG-like])`.
 * Every reward is floored at `rewardFloor` (the release's -0.5).
 */
import type { RewardConfig } from "./config.ts";
import { uniqueMajority } from "./majority.ts";
import { gatedDifficulty, type ImageJudgement, judgeImage } from "./measures.ts";
import { stripWhitespace } from "./text.ts";

export type CoderOutcome =
  | {
      readonly kind: "rendered";
      /** The M Solver answers to the easy question on the rendered image. */
      readonly easyAnswers: readonly string[];
      /** The M Solver answers to the hard question on the rendered image. */
      readonly hardAnswers: readonly string[];
    }
  | {
      readonly kind: "render-failed";
      /** False when no SVG code could be extracted from the output at all. */
      readonly codeExtracted: boolean;
      /** {@link isSvgLike} of the extracted code; ignored (not SVG-like) when none was extracted. */
      readonly svgLike: boolean;
    };

export type CoderReward =
  | ({ readonly kind: "rendered"; readonly total: number } & ImageJudgement)
  | {
      readonly kind: "render-failed";
      readonly total: number;
      /** The unfloored penalty sum, positive. */
      readonly penalty: number;
      readonly codeExtracted: boolean;
      readonly svgLike: boolean;
    };

/** The release's test: the stripped code is non-empty and starts with `<` or contains `<svg` (any case). */
export function isSvgLike(code: string): boolean {
  const stripped = stripWhitespace(code);
  return stripped.length > 0 && (stripped.startsWith("<") || stripped.toLowerCase().includes("<svg"));
}

/**
 * The reward of one Coder output; `easyAnswer` is the answer its solvability counts against: the
 * proposal's easy answer in the release, or the group's consensus ({@link solvabilityAnchors}).
 */
export function scoreCoder(outcome: CoderOutcome, easyAnswer: string, config: RewardConfig): CoderReward {
  const { rewardFloor } = config.coder;
  if (outcome.kind === "rendered") {
    const judgement = judgeImage(outcome.easyAnswers, outcome.hardAnswers, easyAnswer, {
      samplesPerImage: config.judging.solverSamplesPerImage,
      difficultyShape: config.judging.difficultyShape,
    });
    const total = Math.max(
      rewardFloor,
      config.coder.renderedBase +
        judgement.solvability +
        gatedDifficulty(judgement, config.coder.difficultyGate),
    );
    return { kind: "rendered", total, ...judgement };
  }
  // The release judges SVG-likeness on the extracted code: with none extracted it judges "", which is
  // never SVG-like, whatever the whole output looks like (a truncated `<svg` still floors at -0.5).
  const svgLike = outcome.codeExtracted && outcome.svgLike;
  const penalty =
    config.coder.renderFailurePenalty +
    (outcome.codeExtracted ? 0 : config.coder.noCodePenalty) +
    (svgLike ? 0 : config.coder.notSvgLikePenalty);
  return {
    kind: "render-failed",
    total: Math.max(rewardFloor, -penalty),
    penalty,
    codeExtracted: outcome.codeExtracted,
    svgLike,
  };
}

/** One Coder rollout as its step's rewards see it. */
export interface CoderRollout {
  /** Rollouts of one group draw the same proposal (the decision core uses the proposal's id). */
  readonly group: string;
  readonly outcome: CoderOutcome;
  /** The proposal's easy answer. */
  readonly easyAnswer: string;
}

/**
 * The answer each rollout's solvability counts against, under `coder.solvabilityAnchor`. `proposer`
 * (the release): the proposal's easy answer. `consensus`: the unique majority of the Solver's easy
 * answers pooled over the group's rendered rollouts, "" (s = 0 for the whole group) when none is valid
 * or the top answers tie; it never depends on the rollouts' order or on the Proposer's answer.
 */
export function solvabilityAnchors(rollouts: readonly CoderRollout[], config: RewardConfig): string[] {
  if ((config.coder.solvabilityAnchor ?? "proposer") === "proposer")
    return rollouts.map((rollout) => rollout.easyAnswer);
  const pooled = new Map<string, string[]>();
  for (const { group, outcome } of rollouts) {
    const answers = pooled.get(group) ?? [];
    if (outcome.kind === "rendered") answers.push(...outcome.easyAnswers);
    pooled.set(group, answers);
  }
  const consensus = new Map([...pooled].map(([group, answers]) => [group, uniqueMajority(answers)]));
  return rollouts.map((rollout) => consensus.get(rollout.group)!);
}
