import { coderStepPrompts, decideCoderPrompts, scoreCoderStep } from "../../decisions/index.ts";
import type { LoopRun } from "./context.ts";
import { codeRenderAndAnswer, isValidProposal } from "./judging.ts";
import { proposerItems } from "./proposer-phase.ts";
import { renderCodes, sampleCodes, sampleProposals } from "./sampling.ts";
import { meanOrZero, share } from "./step-metrics.ts";
import { trainOnGroups } from "./training.ts";

/**
 * The Coder phase (mm-zero-algorithm.md, "The loop" step 2): prompts are proposals of the frozen
 * Proposer_i kept only when Coder_{i-1}'s render rate over a few samples lies in the band; each
 * step samples rollouts from Coder_i, renders them and rewards them through the frozen Solver.
 * The decisions (which prompts, which rewards) are src/decisions' decideCoderPrompts and scoreCoderStep.
 */

export async function buildCoderPrompts(run: LoopRun, iteration: number): Promise<void> {
  const position = { iteration, phase: "coder" as const, step: 0 };
  const sizes = run.config.coder;
  const candidateCount = Math.max(1, sizes.steps) * sizes.promptsPerStep * sizes.candidateFactor;
  const items = proposerItems(run, `i${iteration}/coder/candidates`, candidateCount, 1);
  const proposals = await sampleProposals(run, position, "prompt", items);
  const samplesPerPrompt = run.rewards.filters.coderRenderSamples;
  const codeItems = proposals.filter(isValidProposal).flatMap((sample) =>
    Array.from({ length: samplesPerPrompt }, (_, index) => ({
      key: `${sample.event.payload.sampleKey}/filter${index}`,
      proposal: sample,
    })),
  );
  await renderCodes(run, await sampleCodes(run, position, "judge", sizes.temperature, codeItems));
  const { dataset } = decideCoderPrompts(run.graph, iteration, run.decisions);
  const { funnel } = dataset.payload;
  run.progress.metrics(`iteration ${iteration} coder prompts`, {
    candidates: funnel.proposals,
    valid: funnel.evaluated,
    kept: funnel.kept,
  });
  await run.record([dataset]);
}

export async function runCoderStep(run: LoopRun, iteration: number, step: number): Promise<void> {
  const position = { iteration, phase: "coder" as const, step };
  const prompts = coderStepPrompts(run.graph, position, run.config.coder.promptsPerStep);
  const rollouts = run.config.coder.rolloutsPerPrompt;
  const prefix = `i${iteration}/coder/s${step}`;
  const codeItems = prompts.flatMap((prompt, promptIndex) =>
    Array.from({ length: rollouts }, (_, rollout) => ({
      key: `${prefix}/p${promptIndex}/r${rollout}`,
      proposal: prompt,
    })),
  );
  await codeRenderAndAnswer(run, position, "rollout", run.config.coder.temperature, codeItems);
  const { samples: codes, rewards, events } = scoreCoderStep(run.graph, position, run.decisions);
  const rendered = rewards.flatMap((reward) => (reward.kind === "rendered" ? [reward] : []));
  run.progress.metrics(`iteration ${iteration} coder step ${step + 1}`, {
    prompts: prompts.length,
    reward: meanOrZero(rewards.map((reward) => reward.total)),
    renderRate: share(rewards, (reward) => reward.kind === "rendered"),
    solvability: meanOrZero(rendered.map((reward) => reward.solvability)),
    difficulty: meanOrZero(rendered.map((reward) => reward.difficulty)),
  });
  const groups = prompts.map((prompt, promptIndex) => ({
    groupKey: `${prefix}/p${promptIndex}`,
    rollouts: codes.slice(promptIndex * rollouts, (promptIndex + 1) * rollouts).map((code, rollout) => ({
      sampleId: code.id,
      prompt: run.formats.coderPrompt(prompt.proposal),
      image: null,
      tokens: code.payload.tokens,
      logProbs: code.payload.logProbs,
      reward: rewards[promptIndex * rollouts + rollout]!.total,
    })),
  }));
  await trainOnGroups(run, position, "coder", run.grpo, groups, events);
}
