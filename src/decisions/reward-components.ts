import type { CoderReward, ProposerReward, SolverReward } from "../rewards/index.ts";

/**
 * Flattens each role's reward into the numeric components recorded with it, so metrics and
 * rescoring read them from the log without re-deriving anything. Components are the reward's terms
 * only: which response a reward scores is a field of RewardScored (`sampleIndex`), and counts the
 * sample graph holds (the Proposer's rendered judge codes) are not recorded again here.
 */
export const rewardComponents = {
  proposer(reward: ProposerReward): Record<string, number> {
    if (reward.kind === "unparsable") return { formatValid: 0 };
    return {
      formatValid: 1,
      base: reward.base,
      trivialHardPenalty: reward.trivialHardPenalty,
      contentTypePenalty: reward.contentTypePenalty,
      diversity: reward.diversity,
      meanSolvability: reward.meanSolvability,
      meanDifficulty: reward.meanDifficulty,
    };
  },
  coder(reward: CoderReward): Record<string, number> {
    if (reward.kind === "rendered") {
      return {
        rendered: 1,
        solvability: reward.solvability,
        difficulty: reward.difficulty,
        hardConsistency: reward.hardConsistency,
      };
    }
    return {
      rendered: 0,
      penalty: reward.penalty,
      codeExtracted: reward.codeExtracted ? 1 : 0,
      svgLike: reward.svgLike ? 1 : 0,
    };
  },
  solver(reward: SolverReward): Record<string, number> {
    const components = { correct: reward.correct ? 1 : 0, formatOk: reward.formatOk ? 1 : 0 };
    // Recorded only where the configuration checks, so the release's events keep their exact shape.
    if (reward.workingsConsistent === null) return components;
    return { ...components, workingsConsistent: reward.workingsConsistent ? 1 : 0 };
  },
};
