import { decideSolverDataset, scoreSolverStep, solverStepItems } from "../../decisions/index.ts";
import type { LoopRun } from "./context.ts";
import { isValidProposal, renderAndAnswer } from "./judging.ts";
import { proposerItems } from "./proposer-phase.ts";
import { sampleAnswers, sampleCodes, sampleProposals } from "./sampling.ts";
import { meanOrZero, share } from "./step-metrics.ts";
import { trainOnGroups } from "./training.ts";

/**
 * The Solver phase (mm-zero-algorithm.md, "The loop" step 3): an offline dataset of Proposer_i
 * proposals rendered by Coder_i and answered many times by Solver_{i-1}; items whose easy
 * consistency and hard consistency fall in the bands are kept with the hard majority answer as
 * pseudo-label; each step rewards Solver_i's rollouts against those labels. The decisions are
 * src/decisions' decideSolverDataset and scoreSolverStep.
 */

export async function buildSolverDataset(run: LoopRun, iteration: number): Promise<void> {
  const position = { iteration, phase: "solver" as const, step: 0 };
  const items = proposerItems(run, `i${iteration}/solver/dataset`, run.config.solver.datasetProposals, 1);
  const proposals = await sampleProposals(run, position, "dataset", items);
  const valid = proposals.filter(isValidProposal);
  const codes = await sampleCodes(
    run,
    position,
    "dataset",
    run.config.judge.coderTemperature,
    valid.map((sample) => ({ key: `${sample.event.payload.sampleKey}/code`, proposal: sample })),
  );
  await renderAndAnswer(
    run,
    position,
    "dataset",
    run.rewards.filters.solverDatasetSamples,
    codes.map((code, index) => ({ code, proposal: valid[index]!.proposal })),
  );
  const { dataset } = decideSolverDataset(run.graph, iteration, run.decisions);
  const { funnel } = dataset.payload;
  run.progress.metrics(`iteration ${iteration} solver dataset`, {
    proposals: funnel.proposals,
    rendered: funnel.rendered,
    kept: funnel.kept,
  });
  await run.record([dataset]);
}

export async function runSolverStep(run: LoopRun, iteration: number, step: number): Promise<void> {
  const position = { iteration, phase: "solver" as const, step };
  const chosen = solverStepItems(run.graph, position, run.config.solver.promptsPerStep);
  const prefix = `i${iteration}/solver/s${step}`;
  const answerItems = chosen.map(({ item, image }, index) => ({
    key: `${prefix}/p${index}`,
    image,
    question: item.level ?? "hard",
    questionText: item.question,
    count: run.config.solver.rolloutsPerPrompt,
  }));
  await sampleAnswers(run, position, "rollout", run.config.solver.temperature, answerItems);
  const { samples: answers, rewards, events } = scoreSolverStep(run.graph, position, run.decisions);
  const flat = rewards.flat();
  run.progress.metrics(`iteration ${iteration} solver step ${step + 1}`, {
    reward: meanOrZero(flat.map((reward) => reward.total)),
    agreesWithPseudoLabel: share(flat, (reward) => reward.correct),
    formatOk: share(flat, (reward) => reward.formatOk),
  });
  const groups = answers.map((answer, index) => ({
    groupKey: answer.payload.sampleKey,
    rollouts: answer.payload.samples.map((sample, sampleIndex) => ({
      sampleId: answer.id,
      prompt: run.formats.solverPrompt(answer.payload.questionText),
      image: answerItems[index]!.image.payload.pixelHash,
      tokens: sample.tokens,
      logProbs: sample.logProbs,
      reward: rewards[index]![sampleIndex]!.total,
    })),
  }));
  await trainOnGroups(run, position, "solver", run.grpo, groups, events);
}
