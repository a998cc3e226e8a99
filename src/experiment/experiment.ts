import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Clock } from "../actors/index.ts";
import { committedBasePath } from "../app/index.ts";
import { sha256Hex } from "../events/index.ts";
import { evenlySpaced, type ItemResult } from "../pretrain/index.ts";
import { foldReportEvents } from "../report/index.ts";
import { FileBlobStore, readFileLogReadOnly } from "../store/index.ts";
import { type BenchmarkItem, parseBenchmarkJsonl } from "../world/index.ts";
import { analyseBenchmark, type BenchmarkAnalysis, type RunScores } from "./analysis.ts";
import { cachePath } from "./evaluation-cache.ts";
import { type EvaluationJob, jobKey, runEvaluations } from "./evaluations.ts";
import type { ItemFacets } from "./item-groups.ts";
import { type Count, type IterationOracle, runOracle, withDatasetGreedy } from "./oracle-metrics.ts";
import { type ExperimentPlan, ExperimentPlanError, type PlannedRun } from "./plan.ts";
import { executeRuns, type RunEvents } from "./run-executor.ts";
import { type IterationSolver, iterationSolvers } from "./solver-checkpoints.ts";
import { type DatasetProbe, datasetCollector, probeItem, tapEvents } from "./solver-dataset.ts";

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
  readonly greedy: Count;
  readonly greedyByLevel: Readonly<Record<string, Count>>;
  readonly majority: Count | null;
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

/** A finished run whose blobs lack today's base: it started from another base checkpoint file. */
export class RunFromOtherBaseError extends Error {
  override readonly name = "RunFromOtherBaseError";
}

/**
 * The run's starting checkpoint: the base file its configuration names, which the run copied into
 * its blob store. The run id hashes the configuration, not the file's bytes, so a base that was
 * re-pretrained since the run leaves a run that cannot be compared with today's base: an error.
 */
async function baseCheckpointHash(run: PlannedRun): Promise<string> {
  const path =
    run.config.model.checkpoint === ""
      ? committedBasePath(run.config.model.preset)
      : resolve(run.config.model.checkpoint);
  const hash = sha256Hex(await readFile(path));
  if (!(await new FileBlobStore(join(run.dir, "blobs")).has(hash)))
    throw new RunFromOtherBaseError(
      `run ${run.dir} started from another base than ${path} holds now (was the base re-pretrained?): move the run away, or use another --out`,
    );
  return hash;
}

/** What an experiment keeps of a run's log (not the folded state: many runs' states need not fit at once). */
interface ReadRun {
  readonly run: PlannedRun;
  readonly solvers: readonly IterationSolver[];
  readonly oracle: readonly IterationOracle[];
  readonly probes: readonly DatasetProbe[];
}

async function readRun(run: PlannedRun): Promise<ReadRun> {
  const collector = datasetCollector();
  const state = await foldReportEvents(
    tapEvents(readFileLogReadOnly(join(run.dir, "events")), collector.observe),
  );
  const solvers = iterationSolvers(
    await baseCheckpointHash(run),
    state.run.updates,
    state.run.iterationsCompleted,
  );
  return { run, solvers, oracle: runOracle(state), probes: collector.probes(state) };
}

function scoreOf(results: readonly ItemResult[], read: (result: ItemResult) => boolean | null): number[] {
  return results.map((result) => (read(result) === true ? 1 : 0));
}

function count(results: readonly ItemResult[], read: (result: ItemResult) => boolean | null): Count {
  return { correct: results.filter((result) => read(result) === true).length, total: results.length };
}

function countsByLevel(results: readonly ItemResult[], read: (result: ItemResult) => boolean | null) {
  const levels = [...new Set(results.map((result) => result.level))].sort();
  return Object.fromEntries(
    levels.map((level) => [
      level,
      count(
        results.filter((result) => result.level === level),
        read,
      ),
    ]),
  );
}

/** Iteration i's dataset votes came from the Solver that iteration i - 1 ended with. */
function datasetJobs(read: ReadRun, seed: string): Map<number, EvaluationJob> {
  const jobs = new Map<number, EvaluationJob>();
  const iterations = [...new Set(read.probes.map((probe) => probe.iteration))];
  for (const iteration of iterations) {
    const voter = read.solvers.find((solver) => solver.iteration === iteration - 1);
    if (voter === undefined) continue;
    const probes = read.probes.filter((probe) => probe.iteration === iteration);
    jobs.set(iteration, {
      checkpoint: voter.checkpoint,
      runDir: read.run.dir,
      items: probes.map(probeItem),
      samples: 0,
      temperature: 1,
      seed,
      pixelHashes: Object.fromEntries(probes.map((probe) => [probe.imageId, probe.pixelHash])),
      settings: { kind: "solver-dataset", itemIds: probes.map((probe) => probe.imageId), seed },
    });
  }
  return jobs;
}

type ResultsOf = (checkpoint: string) => readonly ItemResult[];

function runScores(read: ReadRun, resultsOf: ResultsOf, samples: number): RunScores {
  return {
    configuration: read.run.configuration,
    seed: read.run.seed,
    runId: read.run.runId,
    solvers: read.solvers.map(({ iteration, checkpoint }) => {
      const results = resultsOf(checkpoint);
      return {
        iteration,
        checkpoint,
        greedy: scoreOf(results, (result) => result.greedyCorrect),
        majority: samples === 0 ? null : scoreOf(results, (result) => result.majorityCorrect),
      };
    }),
  };
}

function runResult(
  read: ReadRun,
  resultsOf: ResultsOf,
  datasetGreedy: ReadonlyMap<number, Count>,
  samples: number,
): RunResult {
  return {
    configuration: read.run.configuration,
    seed: read.run.seed,
    runId: read.run.runId,
    dir: read.run.dir,
    solvers: read.solvers.map(({ iteration, checkpoint }) => {
      const results = resultsOf(checkpoint);
      return {
        iteration,
        checkpoint,
        greedy: count(results, (result) => result.greedyCorrect),
        greedyByLevel: countsByLevel(results, (result) => result.greedyCorrect),
        majority: samples === 0 ? null : count(results, (result) => result.majorityCorrect),
      };
    }),
    oracle: withDatasetGreedy(read.oracle, datasetGreedy),
  };
}

export async function runExperiment(options: ExperimentOptions): Promise<ExperimentResult> {
  const { plan } = options;
  const temperature = evaluationTemperature(plan, options.temperature);
  const benchmarkText = await readFile(resolve(options.benchmarkPath), "utf8");
  const allItems = parseBenchmarkJsonl(benchmarkText);
  const items: readonly BenchmarkItem[] = evenlySpaced(allItems, options.limit);
  const settings = {
    benchmarkSha256: sha256Hex(benchmarkText),
    itemIds: items.map((item) => item.id),
    samples: options.samples,
    temperature,
    seed: options.evaluationSeed,
  };

  await executeRuns({ plan, parallel: options.parallel, clock: options.clock, events: options.runEvents });
  const runs: ReadRun[] = [];
  for (const run of plan.runs) runs.push(await readRun(run));

  const benchmarkJob = (checkpoint: string, runDir: string): EvaluationJob => ({
    checkpoint,
    runDir,
    items,
    samples: options.samples,
    temperature,
    seed: options.evaluationSeed,
    pixelHashes: null,
    settings,
  });
  const datasets = runs.map((read) => datasetJobs(read, options.evaluationSeed));
  const jobs = [
    ...runs.flatMap((read) => read.solvers.map((solver) => benchmarkJob(solver.checkpoint, read.run.dir))),
    ...datasets.flatMap((byIteration) => [...byIteration.values()]),
  ];
  const evaluations = await runEvaluations(
    options.outDir,
    jobs,
    { planned: options.onEvaluationsPlanned, rows: options.onEvaluationRows },
    options.parallel,
  );
  const benchmarkResults: ResultsOf = (checkpoint) =>
    evaluations.get(cachePath(options.outDir, checkpoint, settings))!;

  const scored = runs.map((read) => runScores(read, benchmarkResults, options.samples));
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
    runs: runs.map((read, index) => {
      const greedy = [...datasets[index]!].map(([iteration, job]): [number, Count] => [
        iteration,
        count(evaluations.get(jobKey(options.outDir, job))!, (result) => result.greedyCorrect),
      ]);
      return runResult(read, benchmarkResults, new Map(greedy), options.samples);
    }),
    analysis: analyseBenchmark(
      facets,
      plan.configurations.map((configuration) => configuration.name),
      scored,
    ),
  };
}
