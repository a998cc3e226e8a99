import { scoreProposerStep } from "../../decisions/index.ts";
import type { ProposerReward } from "../../rewards/index.ts";
import { keyedRandom } from "../../rng/index.ts";
import type { LoopRun } from "./context.ts";
import { judgeProposals } from "./judging.ts";
import { sampleProposals } from "./sampling.ts";
import { meanOrZero, share } from "./step-metrics.ts";
import { trainOnGroups } from "./training.ts";

/** What people watch during a Proposer step: reward, format, render rate, solvability, difficulty, diversity. */
function proposerStepMetrics(
  rewards: readonly ProposerReward[],
  codesPerProposal: number,
): Record<string, number> {
  const scored = rewards.flatMap((reward) => (reward.kind === "scored" ? [reward] : []));
  return {
    reward: meanOrZero(rewards.map((reward) => reward.total)),
    formatValid: share(rewards, (reward) => reward.kind === "scored"),
    renderRate: meanOrZero(scored.map((reward) => reward.renderedCount / codesPerProposal)),
    solvability: meanOrZero(scored.map((reward) => reward.meanSolvability)),
    difficulty: meanOrZero(scored.map((reward) => reward.meanDifficulty)),
    diversity: meanOrZero(scored.map((reward) => reward.diversity)),
  };
}

/** Topic of a Proposer prompt: a keyed draw, so it is the same in any process and on resume. */
export function topicFor(run: LoopRun, key: string): string {
  const topics = run.formats.topics;
  return topics[keyedRandom(run.config.seed, "topic", key).nextInt(topics.length)]!;
}

/** Proposer prompts for a unit: `count` prompts, each with a keyed topic, `rollouts` samples each. */
export function proposerItems(run: LoopRun, prefix: string, count: number, rollouts: number) {
  const items: { key: string; topic: string; prompt: number }[] = [];
  for (let prompt = 0; prompt < count; prompt++) {
    const topic = topicFor(run, `${prefix}/p${prompt}`);
    for (let rollout = 0; rollout < rollouts; rollout++)
      items.push({ key: `${prefix}/p${prompt}/r${rollout}`, topic, prompt });
  }
  return items;
}

/**
 * One Proposer GRPO step (mm-zero-algorithm.md, "Rewards: Proposer"): sample prompts x rollouts from
 * Proposer_i, judge each valid proposal with K frozen-Coder SVGs and M frozen-Solver answers per
 * question, score the whole batch, and update the Proposer.
 */
export async function runProposerStep(run: LoopRun, iteration: number, step: number): Promise<void> {
  const position = { iteration, phase: "proposer" as const, step };
  const sizes = run.config.proposer;
  const prefix = `i${iteration}/proposer/s${step}`;
  const items = proposerItems(run, prefix, sizes.promptsPerStep, sizes.rolloutsPerPrompt);
  const proposals = await sampleProposals(run, position, "rollout", items);
  await judgeProposals(run, position, proposals, run.rewards.judging.codeSamplesPerProposal);
  const { rewards, events } = scoreProposerStep(run.graph, position, run.decisions);
  run.progress.metrics(
    `iteration ${iteration} proposer step ${step + 1}`,
    proposerStepMetrics(rewards, run.rewards.judging.codeSamplesPerProposal),
  );
  const groups = Array.from({ length: sizes.promptsPerStep }, (_, prompt) => ({
    groupKey: `${prefix}/p${prompt}`,
    rollouts: items.flatMap((item, index) =>
      item.prompt !== prompt
        ? []
        : [
            {
              sampleId: proposals[index]!.event.id,
              prompt: run.formats.proposerPrompt(item.topic),
              image: null,
              tokens: proposals[index]!.event.payload.tokens,
              logProbs: proposals[index]!.event.payload.logProbs,
              reward: rewards[index]!.total,
            },
          ],
    ),
  }));
  await trainOnGroups(run, position, "proposer", run.grpo, groups, events);
}
