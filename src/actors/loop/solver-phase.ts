import type { EventOf } from "../../events/index.ts";
import { majorityVote, scoreSolverResponse } from "../../rewards/index.ts";
import { datasetEventKey, datasetOf } from "./coder-phase.ts";
import type { LoopRun } from "./context.ts";
import { isValidProposal, renderAndAnswer } from "./judging.ts";
import { proposerItems } from "./proposer-phase.ts";
import { rewardComponents } from "./reward-components.ts";
import { sampleAnswers, sampleCodes, sampleProposals } from "./sampling.ts";
import { mean, share } from "./step-metrics.ts";
import { trainOnGroups } from "./training.ts";

/**
 * The Solver phase (mm-zero-algorithm.md, "The loop" step 3): an offline dataset of Proposer_i
 * proposals rendered by Coder_i and answered many times by Solver_{i-1}; items whose easy
 * consistency and hard consistency fall in the bands are kept with the hard majority answer as
 * pseudo-label; each step rewards Solver_i's rollouts against those labels.
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
  const filters = run.rewards.filters;
  const images = await renderAndAnswer(
    run,
    position,
    "dataset",
    filters.solverDatasetSamples,
    codes.map((code, index) => ({ code, proposal: valid[index]!.proposal })),
  );
  const kept: EventOf<"DatasetBuilt">["payload"]["items"][number][] = [];
  let rendered = 0;
  for (const [index, image] of images.entries()) {
    if (image.easy === null || image.hard === null || image.render.type !== "ImageRendered") continue;
    rendered += 1;
    const easy = majorityVote(image.easy.payload.samples.map((sample) => sample.answer));
    const hard = majorityVote(image.hard.payload.samples.map((sample) => sample.answer));
    const band = filters.hardConsistencyBand;
    const keep =
      easy.consistency >= filters.minimumEasyConsistency &&
      hard.consistency >= band.minimum &&
      hard.consistency <= band.maximum &&
      (!filters.requireMajorityLabel || hard.label !== "");
    if (!keep) continue;
    kept.push({
      imageId: image.render.id,
      question: valid[index]!.proposal.hardQuestion,
      pseudoLabel: hard.label,
      easyConsistency: easy.consistency,
      hardConsistency: hard.consistency,
    });
  }
  run.progress.metrics(`iteration ${iteration} solver dataset`, {
    proposals: proposals.length,
    rendered,
    kept: kept.length,
  });
  await run.record([
    {
      type: "DatasetBuilt",
      producer: run.producer("coordinator"),
      logicalKey: datasetEventKey(iteration, "solver"),
      payload: {
        iteration,
        phase: "solver",
        funnel: { proposals: proposals.length, rendered, evaluated: rendered, kept: kept.length },
        items: kept,
        promptIds: [],
      },
    },
  ]);
}

export async function runSolverStep(run: LoopRun, iteration: number, step: number): Promise<void> {
  const position = { iteration, phase: "solver" as const, step };
  const dataset = datasetOf(run, iteration, "solver").payload.items;
  const count = dataset.length === 0 ? 0 : run.config.solver.promptsPerStep;
  const prefix = `i${iteration}/solver/s${step}`;
  const chosen = Array.from(
    { length: count },
    (_, index) => dataset[(step * count + index) % dataset.length]!,
  );
  const answerItems = chosen.map((item, index) => {
    const image = run.recorder.get(item.imageId);
    if (image?.type !== "ImageRendered")
      throw new Error(`dataset image ${item.imageId} is missing from the log`);
    return {
      key: `${prefix}/p${index}`,
      image,
      question: "hard" as const,
      questionText: item.question,
      count: run.config.solver.rolloutsPerPrompt,
    };
  });
  const answers = await sampleAnswers(run, position, "rollout", run.config.solver.temperature, answerItems);
  const rewards = answers.map((answer, index) =>
    answer.payload.samples.map((sample) =>
      scoreSolverResponse(sample.text, chosen[index]!.pseudoLabel, run.rewards),
    ),
  );
  await run.record(
    answers.flatMap((answer, index) =>
      rewards[index]!.map((reward, sample) => ({
        type: "RewardScored" as const,
        producer: run.producer("scorer"),
        logicalKey: `${answer.payload.sampleKey}/${sample}/reward`,
        causationId: answer.id,
        payload: {
          role: "solver" as const,
          iteration,
          step,
          sampleId: answer.id,
          total: reward.total,
          components: { ...rewardComponents.solver(reward), sample },
          configHash: run.rewardConfigHash,
        },
      })),
    ),
  );
  const flat = rewards.flat();
  run.progress.metrics(`iteration ${iteration} solver step ${step + 1}`, {
    reward: mean(flat.map((reward) => reward.total)),
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
  await trainOnGroups(run, position, "solver", run.grpo, groups);
}
