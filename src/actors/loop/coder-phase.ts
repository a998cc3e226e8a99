import type { EventOf } from "../../events/index.ts";
import { type CoderOutcome, type Proposal, parseProposal, scoreCoder } from "../../rewards/index.ts";
import type { LoopRun } from "./context.ts";
import { codeRenderAndAnswer, isValidProposal } from "./judging.ts";
import { proposerItems } from "./proposer-phase.ts";
import { rewardComponents } from "./reward-components.ts";
import { renderCodes, type SampledProposal, sampleCodes, sampleProposals } from "./sampling.ts";
import { mean, share } from "./step-metrics.ts";
import { trainOnGroups } from "./training.ts";

/**
 * The Coder phase (mm-zero-algorithm.md, "The loop" step 2): prompts are proposals of the frozen
 * Proposer_i kept only when Coder_{i-1}'s render rate over a few samples lies in the band; each
 * step samples rollouts from Coder_i, renders them and rewards them through the frozen Solver.
 */

export function datasetEventKey(iteration: number, phase: "coder" | "solver"): string {
  return `i${iteration}/${phase}/dataset`;
}

export async function buildCoderPrompts(run: LoopRun, iteration: number): Promise<void> {
  const position = { iteration, phase: "coder" as const, step: 0 };
  const sizes = run.config.coder;
  const candidateCount = Math.max(1, sizes.steps) * sizes.promptsPerStep * sizes.candidateFactor;
  const items = proposerItems(run, `i${iteration}/coder/candidates`, candidateCount, 1);
  const proposals = await sampleProposals(run, position, "prompt", items);
  const valid = proposals.filter(isValidProposal);
  const samplesPerPrompt = run.rewards.filters.coderRenderSamples;
  const codeItems = valid.flatMap((sample) =>
    Array.from({ length: samplesPerPrompt }, (_, index) => ({
      key: `${sample.event.payload.sampleKey}/filter${index}`,
      proposal: sample,
    })),
  );
  const codes = await sampleCodes(run, position, "judge", run.config.coder.temperature, codeItems);
  const renders = await renderCodes(run, codes);
  const band = run.rewards.filters.coderRenderRateBand;
  const kept: SampledProposal[] = [];
  let anyRendered = 0;
  valid.forEach((sample, index) => {
    const slice = renders.slice(index * samplesPerPrompt, (index + 1) * samplesPerPrompt);
    const rate = slice.filter((render) => render.type === "ImageRendered").length / samplesPerPrompt;
    if (rate > 0) anyRendered += 1;
    if (rate >= band.minimum && rate <= band.maximum) kept.push(sample);
  });
  run.progress.metrics(`iteration ${iteration} coder prompts`, {
    candidates: proposals.length,
    valid: valid.length,
    kept: kept.length,
  });
  await run.record([
    {
      type: "DatasetBuilt",
      producer: run.producer("coordinator"),
      logicalKey: datasetEventKey(iteration, "coder"),
      payload: {
        iteration,
        phase: "coder",
        funnel: {
          proposals: proposals.length,
          rendered: anyRendered,
          evaluated: valid.length,
          kept: kept.length,
        },
        items: [],
        promptIds: kept.map((sample) => sample.event.id),
      },
    },
  ]);
}

export function datasetOf(
  run: LoopRun,
  iteration: number,
  phase: "coder" | "solver",
): EventOf<"DatasetBuilt"> {
  const id = run.recorder.idOf({
    producer: { role: "coordinator", version: 0 },
    logicalKey: datasetEventKey(iteration, phase),
  });
  const event = run.recorder.get(id);
  if (event?.type !== "DatasetBuilt")
    throw new Error(`iteration ${iteration}: the ${phase} dataset is missing from the log`);
  return event;
}

function promptsForStep(
  run: LoopRun,
  iteration: number,
  step: number,
): { proposal: Proposal; event: EventOf<"ProposalSampled"> }[] {
  const dataset = datasetOf(run, iteration, "coder");
  const ids = dataset.payload.promptIds;
  if (ids.length === 0) return [];
  const count = run.config.coder.promptsPerStep;
  return Array.from({ length: count }, (_, index) => {
    const id = ids[(step * count + index) % ids.length]!;
    const event = run.recorder.get(id);
    if (event?.type !== "ProposalSampled") throw new Error(`coder prompt ${id} is missing from the log`);
    const parsed = parseProposal(event.payload.text);
    if (!parsed.ok) throw new Error(`coder prompt ${id} is not a valid proposal`);
    return { proposal: parsed.proposal, event };
  });
}

export async function runCoderStep(run: LoopRun, iteration: number, step: number): Promise<void> {
  const position = { iteration, phase: "coder" as const, step };
  const prompts = promptsForStep(run, iteration, step);
  const rollouts = run.config.coder.rolloutsPerPrompt;
  const prefix = `i${iteration}/coder/s${step}`;
  const codeItems = prompts.flatMap((prompt, promptIndex) =>
    Array.from({ length: rollouts }, (_, rollout) => ({
      key: `${prefix}/p${promptIndex}/r${rollout}`,
      proposal: { event: prompt.event, proposal: prompt.proposal },
    })),
  );
  const { codes, images } = await codeRenderAndAnswer(
    run,
    position,
    "rollout",
    run.config.coder.temperature,
    codeItems,
  );
  const rewards = images.map((image, index) => {
    const outcome: CoderOutcome =
      image.easy !== null && image.hard !== null
        ? {
            kind: "rendered",
            easyAnswers: image.easy.payload.samples.map((sample) => sample.answer),
            hardAnswers: image.hard.payload.samples.map((sample) => sample.answer),
          }
        : failedOutcome(image.render);
    return scoreCoder(outcome, codeItems[index]!.proposal.proposal.easyAnswer, run.rewards);
  });
  await run.record(
    codes.map((code, index) => ({
      type: "RewardScored" as const,
      producer: run.producer("scorer"),
      logicalKey: `${code.payload.sampleKey}/reward`,
      causationId: code.id,
      payload: {
        role: "coder" as const,
        iteration,
        step,
        sampleId: code.id,
        total: rewards[index]!.total,
        components: rewardComponents.coder(rewards[index]!),
        configHash: run.rewardConfigHash,
      },
    })),
  );
  const rendered = rewards.flatMap((reward) => (reward.kind === "rendered" ? [reward] : []));
  run.progress.metrics(`iteration ${iteration} coder step ${step + 1}`, {
    prompts: prompts.length,
    reward: mean(rewards.map((reward) => reward.total)),
    renderRate: share(rewards, (reward) => reward.kind === "rendered"),
    solvability: mean(rendered.map((reward) => reward.solvability)),
    difficulty: mean(rendered.map((reward) => reward.difficulty)),
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
  await trainOnGroups(run, position, "coder", run.grpo, groups);
}

function failedOutcome(render: EventOf<"ImageRendered"> | EventOf<"RenderFailed">): CoderOutcome {
  if (render.type === "ImageRendered") {
    throw new Error(`image ${render.id} rendered but has no Solver answers`);
  }
  return {
    kind: "render-failed",
    codeExtracted: !render.payload.noCodeExtracted,
    svgLike: !render.payload.notSvgLike,
  };
}
