import type { PolicyRole } from "../events/index.ts";
import type { CoderReward, ImageJudgement, ProposerReward, SolverReward } from "../rewards/index.ts";

type ScoredProposerReward = Extract<ProposerReward, { kind: "scored" }>;
type FailedCoderReward = Extract<CoderReward, { kind: "render-failed" }>;

/**
 * The reward components the daemon exports, per role: the terms of each role's reward as its
 * definition in src/rewards names them (checked against those types, so a rename breaks the build),
 * plus the 0/1 indicators the loop derives from a reward's kind (`formatValid`, `rendered`). Anything
 * else recorded in `RewardScored.components` is bookkeeping, not a reward (the Solver's `sample`
 * position, the Proposer's `renderedCount`), and is not exported: an allow-list, so it holds whether
 * the loop records such values among the components or elsewhere.
 */
export const rewardComponentNames: Readonly<Record<PolicyRole, ReadonlySet<string>>> = {
  proposer: new Set([
    "formatValid",
    ...([
      "base",
      "trivialHardPenalty",
      "contentTypePenalty",
      "diversity",
      "meanSolvability",
      "meanDifficulty",
    ] as const satisfies readonly (keyof ScoredProposerReward)[]),
  ]),
  coder: new Set([
    "rendered",
    ...([
      "solvability",
      "difficulty",
      "hardConsistency",
    ] as const satisfies readonly (keyof ImageJudgement)[]),
    ...(["penalty", "codeExtracted", "svgLike"] as const satisfies readonly (keyof FailedCoderReward)[]),
  ]),
  solver: new Set([...(["correct", "formatOk"] as const satisfies readonly (keyof SolverReward)[])]),
};

/** The sample's reward components that are rewards of its role (the allow-list above). */
export function rewardComponentsOnly(
  role: PolicyRole,
  components: Readonly<Record<string, number>>,
): Record<string, number> {
  const allowed = rewardComponentNames[role];
  return Object.fromEntries(Object.entries(components).filter(([name]) => allowed.has(name)));
}
