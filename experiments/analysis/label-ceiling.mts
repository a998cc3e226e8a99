// Analysis for docs/learning.md E11: is the Solver phase limited by its labels or by its learning step?
// For each run of an experiment, the base is trained with the loop's Solver-phase GRPO (16 prompts x 8
// rollouts at T = 1 per step, the `learning` Solver reward, the release GRPO settings, the base as the
// KL reference, one update per step) on iteration 1's Solver dataset (its pseudo-labelled hard items and
// replayed easy items), once with the loop's own labels and once with the oracle's answers (a ceiling:
// ANALYSIS ONLY, the oracle never enters the loop); then both are scored greedily against the base on
// the items of iterations 2-3's datasets (the loop's kind of item, none trained on), on the training
// items themselves, and on the public benchmark. Paired on items, 95% t intervals. The environment
// switches below replace the training items or the reward, to separate the labels, the loop's kind of
// item and the update itself.
//
//   node bin/run-ts.js experiments/analysis/label-ceiling.mts <experiment dir> <configuration> [steps=10] [learning rate=1e-4]
//   (RUNS=n: only the configuration's first n runs)
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { loadGrpoConfig, loadRewardConfig } from "../../src/app/index.ts";
import { SampleGraph } from "../../src/decisions/index.ts";
import type { MmzeroEvent } from "../../src/events/index.ts";
import { datasetCollector, probeItem, tapEvents } from "../../src/experiment/solver-dataset.ts";
import {
  AdamW,
  decodeCheckpoint,
  generate,
  grpoUpdate,
  selectBackend,
  type VisionLanguageModel,
} from "../../src/gpu/index.ts";
import { responseTokensMax, worldRoleFormats, worldTextCodec } from "../../src/policy/index.ts";
import { SceneImages } from "../../src/pretrain/images.ts";
import { evaluateSolver, type SolverItem } from "../../src/pretrain/index.ts";
import { foldReportEvents, meanInterval } from "../../src/report/index.ts";
import { depictionVerdict } from "../../src/report/oracle-checks.ts";
import { answersEquivalent, groupAdvantages, scoreSolverResponse } from "../../src/rewards/index.ts";
import { type KeyPart, keyedRandom } from "../../src/rng/index.ts";
import { FileBlobStore, readFileLogReadOnly } from "../../src/store/index.ts";
import { corpusExample, parseBenchmarkJsonl, stepwiseLongCorpusOptions } from "../../src/world/index.ts";

interface ExperimentRun {
  readonly configuration: string;
  readonly seed: string;
  readonly dir: string;
  readonly solvers: readonly { readonly iteration: number; readonly checkpoint: string }[];
}
interface TrainItem {
  readonly id: string;
  readonly question: string;
  readonly pixels: Uint8Array;
  readonly pseudoLabel: string;
  readonly truth: string;
}

const [experimentDir, configuration, stepsText = "10", learningRateText = "1e-4"] = process.argv.slice(2);
/** FAITHFUL=1: train only on items whose render the oracle finds faithful to the caption (both sources). */
const faithfulOnly = process.env.FAITHFUL === "1";
/**
 * CORPUS=1: train instead on as many fresh world-corpus hard items (a corpus seed of their own, true
 * answers) as the run's iteration-1 dataset holds: separates the loop's kind of item from GRPO itself.
 */
const corpusItems = process.env.CORPUS === "1";
/** CORPUS_LEVEL=easy: the corpus items are easy (one read) instead of hard. */
const corpusLevel = process.env.CORPUS_LEVEL ?? "hard";
/** CORPUS_COUNT=n: that many corpus items instead of the iteration-1 dataset's size. */
const corpusCount = process.env.CORPUS_COUNT === undefined ? undefined : Number(process.env.CORPUS_COUNT);
/** PROMPTS=n, ROLLOUTS=n: prompts per update and rollouts per prompt (the `standard` Solver phase: 16 x 8). */
const promptsPerStep = Number(process.env.PROMPTS ?? "16");
/** MINI_BATCHES=n: optimiser steps per step's rollouts, each on 1/n of them (`optimizer.miniBatches`; the loop's: 1). */
const miniBatches = Number(process.env.MINI_BATCHES ?? "1");
const rollouts = Number(process.env.ROLLOUTS ?? "8");
/** SOURCES=oracle: train with only these label sources (comma-separated; default both). */
const sources = (process.env.SOURCES ?? "pseudo-label,oracle").split(",");
/**
 * RANDOM=1: the accuracy term is a keyed fair coin instead of the label's verdict, a control for how
 * much an update costs when it carries no signal at all.
 */
const randomReward = process.env.RANDOM === "1";
if (experimentDir === undefined || configuration === undefined)
  throw new Error("usage: label-ceiling.mts <experiment dir> <configuration> [steps] [learning rate]");
const steps = Number(stepsText);
const learningRate = Number(learningRateText);
const release = await loadGrpoConfig("release");
/** KL=x: the k3 KL coefficient to the base (release: 0.01), to see whether anchoring limits drift. */
const grpo =
  process.env.KL === undefined
    ? release
    : { ...release, kl: { ...release.kl, coefficient: Number(process.env.KL) } };
const learning = await loadRewardConfig("learning");
/** CHECKED=1: the `requireConsistentWorkings` deviation (an answer counts only with consistent workings). */
const rewards =
  process.env.CHECKED === "1"
    ? { ...learning, solver: { ...learning.solver, requireConsistentWorkings: true } }
    : learning;
const codec = worldTextCodec();
const experiment: { runs: ExperimentRun[] } = JSON.parse(
  await readFile(join(experimentDir, "experiment.json"), "utf8"),
);
const benchmark = parseBenchmarkJsonl(await readFile("bench/data/benchmark.jsonl", "utf8"));
await selectBackend();

/** IMAGE_SIZE=n: the side of corpus images in px (the base's `render.imageSize`: 32, or 48 for the 48 px bases). */
const sceneImages = new SceneImages(Number(process.env.IMAGE_SIZE ?? "32"));

/** `count` Solver examples (of `corpusLevel`) of the world corpus under its own seed, labelled with their answers. */
function corpusTrainItems(count: number, seed: string): TrainItem[] {
  const items: TrainItem[] = [];
  for (let index = 0; items.length < count; index++) {
    const example = corpusExample(seed, "solver", index, stepwiseLongCorpusOptions);
    if (example.role !== "solver" || example.level !== corpusLevel) continue;
    const answer = example.answer.trim();
    items.push({
      id: `corpus-${index}`,
      question: example.question,
      pixels: sceneImages.rgba(example.svg),
      pseudoLabel: answer,
      truth: answer,
    });
  }
  return items;
}

function rewardOf(response: string, label: string, key: readonly KeyPart[]): number {
  const reward = scoreSolverResponse(response, label, rewards);
  if (randomReward) {
    const coin = keyedRandom("label-ceiling-random", ...key).uniformAt(0) < 0.5;
    return reward.total + rewards.solver.accuracyWeight * ((coin ? 1 : 0) - (reward.correct ? 1 : 0));
  }
  return reward.total;
}

async function trainOn(
  base: Uint8Array,
  items: readonly TrainItem[],
  label: (item: TrainItem) => string,
  seed: string,
): Promise<VisionLanguageModel> {
  const policy = decodeCheckpoint(base).model;
  const reference = decodeCheckpoint(base).model;
  const optimizer = new AdamW(policy, { learningRate, weightDecay: 0.01 });
  for (let step = 0; step < steps; step++) {
    const chosen = Array.from(
      { length: promptsPerStep },
      (_, j) => items[(step * promptsPerStep + j) % items.length]!,
    );
    const requests = chosen.flatMap((item, j) =>
      Array.from({ length: rollouts }, (_, r) => ({
        prompt: codec.promptTokens(worldRoleFormats.solverPrompt(item.question)),
        image: item.pixels,
        sampleKey: ["label-ceiling", step, j, r],
      })),
    );
    const generations = await generate(policy, requests, {
      seed,
      maxNewTokens: responseTokensMax.solver,
      temperature: 1,
    });
    const stepRewards: number[] = [];
    const samples = chosen.flatMap((item, j) => {
      const group = generations.slice(j * rollouts, (j + 1) * rollouts);
      const scores = group.map((g, r) =>
        rewardOf(codec.responseText(g.tokens), label(item), [seed, step, j, r]),
      );
      stepRewards.push(...scores);
      const advantages = groupAdvantages(scores, grpo);
      return group.map((g, r) => ({
        ...requests[j * rollouts + r]!,
        response: g.tokens,
        oldLogProbs: g.logProbs,
        advantage: advantages[r]!,
      }));
    });
    const stats = await grpoUpdate(policy, reference, optimizer, samples, {
      config: grpo,
      miniBatches,
      gradientClipNorm: 1,
    });
    if (process.env.VERBOSE === "1")
      process.stderr.write(
        `    step ${step}: mean reward ${(stepRewards.reduce((a, b) => a + b, 0) / stepRewards.length).toFixed(3)}, loss ${stats.loss.toFixed(4)}, kl ${stats.klLoss.toFixed(4)}, clip ${(stats.clipFractionHigher + stats.clipFractionLower).toFixed(3)}, grad ${stats.gradNorm.toFixed(3)}\n`,
      );
  }
  optimizer.dispose();
  reference.dispose();
  return policy;
}

async function greedyScores(
  model: VisionLanguageModel,
  items: readonly SolverItem[],
  pixels?: ReadonlyMap<string, Uint8Array>,
) {
  const results = await evaluateSolver(model, items, {
    seed: "label-ceiling",
    samples: 0,
    temperature: 1,
    ...(pixels === undefined ? {} : { imageOf: (item: SolverItem) => pixels.get(item.id)! }),
  });
  return results.map((result) => Number(result.greedyCorrect === true));
}

const deltas: Record<string, number[]> = {};
const push = (key: string, values: readonly number[], base: readonly number[]) => {
  deltas[key] = [...(deltas[key] ?? []), ...values.map((value, index) => value - base[index]!)];
};
const runLimit = Number(process.env.RUNS ?? "Infinity");
for (const run of experiment.runs
  .filter((candidate) => candidate.configuration === configuration)
  .slice(0, runLimit)) {
  const collector = datasetCollector();
  const events: MmzeroEvent[] = [];
  const state = await foldReportEvents(
    tapEvents(readFileLogReadOnly(join(run.dir, "events")), (recorded) => {
      collector.observe(recorded);
      events.push(recorded.event);
    }),
  );
  const graph = SampleGraph.of(events);
  /** Whether the Coder output behind a rendered image draws exactly its proposal's caption. */
  const faithful = (imageId: string): boolean => {
    const render = graph.find(imageId, "ImageRendered");
    const code = render === undefined ? undefined : graph.find(render.payload.codeId, "CodeSampled");
    const proposalEvent =
      code === undefined ? undefined : graph.find(code.payload.proposalId, "ProposalSampled");
    const proposal = proposalEvent === undefined ? null : graph.proposalOf(proposalEvent);
    return (
      proposal !== null &&
      code !== undefined &&
      depictionVerdict(proposal.caption, code.payload.text).verdict === "depicts"
    );
  };
  const blobs = new FileBlobStore(join(run.dir, "blobs"));
  const probes = collector.probes(state);
  const pixels = new Map<string, Uint8Array>();
  for (const probe of probes) pixels.set(probe.imageId, await blobs.get(probe.pixelHash));
  const loopItems: TrainItem[] = probes
    .filter((probe) => probe.iteration === 1 && (!faithfulOnly || faithful(probe.imageId)))
    .map((probe) => ({
      id: probe.imageId,
      question: probe.question,
      pixels: pixels.get(probe.imageId)!,
      pseudoLabel: probe.pseudoLabel,
      truth: probe.truth,
    }));
  const train = corpusItems
    ? corpusTrainItems(corpusCount ?? loopItems.length, `label-ceiling-${run.seed}`)
    : loopItems;
  const heldOut: SolverItem[] = probes.filter((probe) => probe.iteration > 1).map(probeItem);
  const labelsRight = train.filter((item) => answersEquivalent(item.pseudoLabel, item.truth)).length;
  const baseBytes = await blobs.get(run.solvers.find((solver) => solver.iteration === 0)!.checkpoint);
  const base = decodeCheckpoint(baseBytes).model;
  const baseHeld = await greedyScores(base, heldOut, pixels);
  const trainPixels = new Map(train.map((item) => [item.id, item.pixels]));
  const trainItems = (label: (item: TrainItem) => string): SolverItem[] =>
    train.map((item) => ({
      id: item.id,
      svg: "",
      question: item.question,
      answer: label(item),
      content_type: "train",
      level: "hard",
    }));
  const baseTrain = await greedyScores(
    base,
    trainItems((item) => item.truth),
    trainPixels,
  );
  const baseBench = await greedyScores(base, benchmark);
  base.dispose();
  process.stderr.write(
    `${configuration} s${run.seed}: ${train.length} training items (pseudo-labels right ${labelsRight}), ${heldOut.length} held out\n`,
  );
  for (const [source, label] of [
    ["pseudo-label", (item: TrainItem) => item.pseudoLabel],
    ["oracle", (item: TrainItem) => item.truth],
  ] as const) {
    if (!sources.includes(source)) continue;
    const trained = await trainOn(baseBytes, train, label, `label-ceiling-${run.seed}`);
    push(`${source}: held-out loop items`, await greedyScores(trained, heldOut, pixels), baseHeld);
    push(
      `${source}: its training items, true answers`,
      await greedyScores(
        trained,
        trainItems((item) => item.truth),
        trainPixels,
      ),
      baseTrain,
    );
    const bench = await greedyScores(trained, benchmark);
    push(
      `${source}: benchmark easy`,
      bench.filter((_, i) => benchmark[i]!.level === "easy"),
      baseBench.filter((_, i) => benchmark[i]!.level === "easy"),
    );
    push(
      `${source}: benchmark hard`,
      bench.filter((_, i) => benchmark[i]!.level === "hard"),
      baseBench.filter((_, i) => benchmark[i]!.level === "hard"),
    );
    trained.dispose();
    process.stderr.write(`  ${source} done\n`);
  }
}
const points = (value: number | null) =>
  value === null ? "–" : `${value >= 0 ? "+" : ""}${(100 * value).toFixed(1)}`;
for (const [key, values] of Object.entries(deltas)) {
  const interval = meanInterval(values);
  console.log(
    `${key} (${values.length} items): trained minus base ${points(interval.mean)} [${points(interval.low)}, ${points(interval.high)}]`,
  );
}
