import { type Breakdown, type ItemFacets, type ItemGroups, itemGroups, mapGroups } from "./item-groups.ts";
import {
  intervalMethod,
  type MeanInterval,
  meanAccuracy,
  type PairedDelta,
  pairedDelta,
  type SeedScores,
} from "./paired-delta.ts";

/**
 * An experiment's benchmark numbers (pure): per configuration and iteration, accuracy and the paired
 * delta against the base (iteration 0, the run's starting Solver), majority-of-k minus greedy, and
 * between configurations at their final iterations; every figure overall, per level, per content
 * type and per step count.
 */

export type Decoding = "greedy" | "majority";

/** One Solver's per-item scores (1 right, 0 wrong) in the experiment's item order. */
export interface SolverScores {
  readonly iteration: number;
  readonly checkpoint: string;
  readonly greedy: readonly number[];
  /** null when no samples were drawn. */
  readonly majority: readonly number[] | null;
}

export interface RunScores {
  readonly configuration: string;
  readonly seed: string;
  readonly runId: string;
  /** Iteration 0 (the base) first. */
  readonly solvers: readonly SolverScores[];
}

export interface ByDecoding<Value> {
  readonly greedy: Value;
  /** null when no samples were drawn. */
  readonly majority: Value | null;
}

export interface IterationAnalysis {
  readonly iteration: number;
  readonly accuracy: ByDecoding<Breakdown<MeanInterval>>;
  /** This iteration's Solver minus the base; null for the base itself. */
  readonly vsBase: ByDecoding<Breakdown<PairedDelta>> | null;
  /** Majority-of-k minus greedy for the same Solver; null without samples. */
  readonly majorityMinusGreedy: Breakdown<PairedDelta> | null;
}

export interface ConfigurationAnalysis {
  readonly name: string;
  readonly seeds: readonly string[];
  readonly iterations: readonly IterationAnalysis[];
}

export interface ComparisonAnalysis {
  /** B minus A, each at its final iteration, paired on items and the seeds both ran. */
  readonly a: string;
  readonly b: string;
  readonly iterationA: number;
  readonly iterationB: number;
  readonly delta: ByDecoding<Breakdown<PairedDelta>>;
}

export interface BenchmarkAnalysis {
  readonly intervalMethod: string;
  readonly items: number;
  readonly groupSizes: Breakdown<number>;
  readonly configurations: readonly ConfigurationAnalysis[];
  readonly comparisons: readonly ComparisonAnalysis[];
}

function scoresAt(runs: readonly RunScores[], iteration: number, decoding: Decoding): SeedScores[] | null {
  const scores: SeedScores[] = [];
  for (const run of runs) {
    const solver = run.solvers.find((entry) => entry.iteration === iteration);
    const values = solver === undefined ? null : solver[decoding];
    if (values === null) return null;
    scores.push({ seed: run.seed, scores: values });
  }
  return scores;
}

/** Iterations every seed of the configuration reached (a shorter run limits the rest). */
function sharedIterations(runs: readonly RunScores[]): number[] {
  const counts = runs.map((run) => run.solvers.length);
  const count = counts.length === 0 ? 0 : Math.min(...counts);
  return Array.from({ length: count }, (_, index) => index);
}

interface Decoded {
  readonly greedy: readonly SeedScores[];
  readonly majority: readonly SeedScores[] | null;
}

function decodedAt(runs: readonly RunScores[], iteration: number): Decoded {
  return { greedy: scoresAt(runs, iteration, "greedy")!, majority: scoresAt(runs, iteration, "majority") };
}

function configurationAnalysis(
  name: string,
  runs: readonly RunScores[],
  groups: ItemGroups,
): ConfigurationAnalysis {
  const deltas = (from: readonly SeedScores[], to: readonly SeedScores[]) =>
    mapGroups(groups, (indices) => pairedDelta(from, to, indices));
  const accuracy = (scores: readonly SeedScores[]) =>
    mapGroups(groups, (indices) => meanAccuracy(scores, indices));
  const base = decodedAt(runs, 0);
  const iterations = sharedIterations(runs).map((iteration): IterationAnalysis => {
    const current = decodedAt(runs, iteration);
    return {
      iteration,
      accuracy: {
        greedy: accuracy(current.greedy),
        majority: current.majority === null ? null : accuracy(current.majority),
      },
      vsBase:
        iteration === 0
          ? null
          : {
              greedy: deltas(base.greedy, current.greedy),
              majority:
                base.majority === null || current.majority === null
                  ? null
                  : deltas(base.majority, current.majority),
            },
      majorityMinusGreedy: current.majority === null ? null : deltas(current.greedy, current.majority),
    };
  });
  return { name, seeds: runs.map((run) => run.seed), iterations };
}

function comparison(
  a: string,
  aRuns: readonly RunScores[],
  b: string,
  bRuns: readonly RunScores[],
  groups: ItemGroups,
): ComparisonAnalysis {
  const iterationA = sharedIterations(aRuns).length - 1;
  const iterationB = sharedIterations(bRuns).length - 1;
  const measure = (decoding: Decoding) => {
    const left = scoresAt(aRuns, iterationA, decoding);
    const right = scoresAt(bRuns, iterationB, decoding);
    return left === null || right === null
      ? null
      : mapGroups(groups, (indices) => pairedDelta(left, right, indices));
  };
  return {
    a,
    b,
    iterationA,
    iterationB,
    delta: { greedy: measure("greedy")!, majority: measure("majority") },
  };
}

/** The analysis of every configuration (in `names` order) and of every pair of them. */
export function analyseBenchmark(
  items: readonly ItemFacets[],
  names: readonly string[],
  runs: readonly RunScores[],
): BenchmarkAnalysis {
  const groups = itemGroups(items);
  const runsOf = (name: string) => runs.filter((run) => run.configuration === name);
  const comparisons = names.flatMap((a, index) =>
    names.slice(index + 1).map((b) => comparison(a, runsOf(a), b, runsOf(b), groups)),
  );
  return {
    intervalMethod,
    items: items.length,
    groupSizes: mapGroups(groups, (indices) => indices.length),
    configurations: names.map((name) => configurationAnalysis(name, runsOf(name), groups)),
    comparisons,
  };
}
