import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Clock } from "../actors/recorder.ts";
import { committedBasePath } from "../app/run-inputs.ts";
import { sha256Hex } from "../events/index.ts";
import { selectBackend } from "../gpu/index.ts";
import { evenlySpaced, type ItemResult, rowsOf } from "../pretrain/index.ts";
import { foldRunDirectory } from "../report/index.ts";
import { FileBlobStore } from "../store/index.ts";
import { type BenchmarkItem, parseBenchmarkJsonl } from "../world/index.ts";
import { analyseBenchmark, type BenchmarkAnalysis, type RunScores } from "./analysis.ts";
import {
  cachePath,
  type EvaluationSettings,
  evaluateAndCache,
  readCachedEvaluation,
} from "./evaluation-cache.ts";
import type { ItemFacets } from "./item-groups.ts";
import { type IterationOracle, runOracle } from "./oracle-metrics.ts";
import { type ExperimentPlan, ExperimentPlanError, type PlannedRun } from "./plan.ts";
import { executeRuns, type RunEvents } from "./run-executor.ts";
import { iterationSolvers } from "./solver-checkpoints.ts";

/**
 * `mmzero experiment` end to end: run (or reuse) every configuration x seed, evaluate every
 * iteration's Solver on the public benchmark (cached per checkpoint), and gather the paired
 * analysis and the oracle's role figures into one result (experiment.json).
 */

export interface ExperimentOptions {
  readonly plan: ExperimentPlan;
  readonly outDir: string;
  readonly benchmarkPath: string;
  /** Items evenly spaced through the file (0: all). */
  readonly limit: number;
  readonly samples: number;
  /** Temperature of the majority-vote samples; default the runs' judge Solver temperature. */
  readonly temperature: number | null;
  readonly evaluationSeed: string;
  readonly parallel: number;
  readonly clock: Clock;
  readonly runEvents: RunEvents;
  /** Generation rows for the evaluations still to do (called once, before the first). */
  readonly onEvaluationsPlanned: (checkpoints: number, rows: number) => void;
  readonly onEvaluationRows: (rows: number) => void;
}

export interface SolverAccuracy {
  readonly iteration: number;
  readonly checkpoint: string;
  readonly greedy: { readonly correct: number; readonly total: number };
  readonly majority: { readonly correct: number; readonly total: number } | null;
}

export interface RunResult {
  readonly configuration: string;
  readonly seed: string;
  readonly runId: string;
  readonly dir: string;
  readonly solvers: readonly SolverAccuracy[];
  /** Analysis only (the world oracle). */
  readonly oracle: readonly IterationOracle[];
}

export interface ExperimentResult {
  readonly configurations: readonly {
    readonly name: string;
    readonly preset: string;
    readonly configPath: string | null;
  }[];
  readonly seeds: readonly string[];
  readonly benchmark: {
    readonly path: string;
    readonly sha256: string;
    readonly itemsInFile: number;
    readonly items: number;
  };
  readonly evaluation: { readonly samples: number; readonly temperature: number; readonly seed: string };
  readonly runs: readonly RunResult[];
  readonly analysis: BenchmarkAnalysis;
}

/** The one temperature majority votes are sampled at: the flag, else the runs' shared judge temperature. */
function evaluationTemperature(plan: ExperimentPlan, flag: number | null): number {
  if (flag !== null) return flag;
  const temperatures = new Set(plan.runs.map((run) => run.config.judge.solverTemperature));
  if (temperatures.size > 1)
    throw new ExperimentPlanError(
      `the configurations vote at different Solver temperatures (${[...temperatures].join(", ")}); pass --temperature to evaluate all at one`,
    );
  return [...temperatures][0] ?? 1;
}

async function baseCheckpointHash(run: PlannedRun): Promise<string> {
  const path =
    run.config.model.checkpoint === ""
      ? committedBasePath(run.config.model.preset)
      : resolve(run.config.model.checkpoint);
  return sha256Hex(await readFile(path));
}

interface RunSolvers {
  readonly run: PlannedRun;
  readonly solvers: readonly { readonly iteration: number; readonly checkpoint: string }[];
  readonly oracle: readonly IterationOracle[];
}

async function readRun(run: PlannedRun): Promise<RunSolvers> {
  const { state } = await foldRunDirectory(run.dir);
  const solvers = iterationSolvers(
    await baseCheckpointHash(run),
    state.run.updates,
    state.run.iterationsCompleted,
  );
  return { run, solvers, oracle: runOracle(state) };
}

function scoreOf(results: readonly ItemResult[], read: (result: ItemResult) => boolean | null): number[] {
  return results.map((result) => (read(result) === true ? 1 : 0));
}

function tally(scores: readonly number[]) {
  return { correct: scores.reduce((sum, score) => sum + score, 0), total: scores.length };
}

export async function runExperiment(options: ExperimentOptions): Promise<ExperimentResult> {
  const { plan } = options;
  const temperature = evaluationTemperature(plan, options.temperature);
  const benchmarkText = await readFile(resolve(options.benchmarkPath), "utf8");
  const allItems = parseBenchmarkJsonl(benchmarkText);
  const items: readonly BenchmarkItem[] = evenlySpaced(allItems, options.limit);
  const settings: EvaluationSettings = {
    benchmarkSha256: sha256Hex(benchmarkText),
    itemIds: items.map((item) => item.id),
    samples: options.samples,
    temperature,
    seed: options.evaluationSeed,
  };

  await executeRuns({ plan, parallel: options.parallel, clock: options.clock, events: options.runEvents });
  const runs = await Promise.all(plan.runs.map(readRun));

  // Each distinct checkpoint once, from the first run that holds it.
  const sources = new Map<string, PlannedRun>();
  for (const { run, solvers } of runs)
    for (const solver of solvers) if (!sources.has(solver.checkpoint)) sources.set(solver.checkpoint, run);
  const evaluations = new Map<string, readonly ItemResult[]>();
  const pending: [string, PlannedRun][] = [];
  for (const [checkpoint, run] of sources) {
    const cached = await readCachedEvaluation(cachePath(options.outDir, checkpoint, settings));
    if (cached !== null && cached.results.length === items.length)
      evaluations.set(checkpoint, cached.results);
    else pending.push([checkpoint, run]);
  }
  const rowsEach = rowsOf(items.length, options.samples);
  options.onEvaluationsPlanned(pending.length, pending.length * rowsEach);
  // Runs in child processes (or none at all) leave this process without a backend.
  if (pending.length > 0) await selectBackend();
  for (const [index, [checkpoint, run]] of pending.entries()) {
    const bytes = await new FileBlobStore(join(run.dir, "blobs")).get(checkpoint);
    const entry = await evaluateAndCache(
      cachePath(options.outDir, checkpoint, settings),
      checkpoint,
      bytes,
      items,
      settings,
      (rows) => options.onEvaluationRows(index * rowsEach + rows),
    );
    evaluations.set(checkpoint, entry.results);
  }

  const scored: RunScores[] = runs.map(({ run, solvers }) => ({
    configuration: run.configuration,
    seed: run.seed,
    runId: run.runId,
    solvers: solvers.map(({ iteration, checkpoint }) => {
      const results = evaluations.get(checkpoint)!;
      return {
        iteration,
        checkpoint,
        greedy: scoreOf(results, (result) => result.greedyCorrect),
        majority: options.samples === 0 ? null : scoreOf(results, (result) => result.majorityCorrect),
      };
    }),
  }));
  const facets: ItemFacets[] = items.map((item) => ({
    id: item.id,
    level: item.level,
    contentType: item.content_type,
    steps: item.steps,
  }));
  return {
    configurations: plan.configurations.map(({ name, preset, configPath }) => ({ name, preset, configPath })),
    seeds: plan.seeds,
    benchmark: {
      path: resolve(options.benchmarkPath),
      sha256: settings.benchmarkSha256,
      itemsInFile: allItems.length,
      items: items.length,
    },
    evaluation: { samples: options.samples, temperature, seed: options.evaluationSeed },
    runs: scored.map((score, index) => ({
      configuration: score.configuration,
      seed: score.seed,
      runId: score.runId,
      dir: runs[index]!.run.dir,
      solvers: score.solvers.map((solver) => ({
        iteration: solver.iteration,
        checkpoint: solver.checkpoint,
        greedy: tally(solver.greedy),
        majority: solver.majority === null ? null : tally(solver.majority),
      })),
      oracle: runs[index]!.oracle,
    })),
    analysis: analyseBenchmark(
      facets,
      plan.configurations.map((configuration) => configuration.name),
      scored,
    ),
  };
}
