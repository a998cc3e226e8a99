// What the analysis scripts read from an `mmzero experiment` directory (docs/experiment.md): its runs by
// configuration name (experiment.json) and its cached evaluations of the runs' Solver datasets.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { CachedEvaluation } from "../../src/experiment/evaluation-cache.ts";
import type { ItemResult } from "../../src/pretrain/index.ts";

export interface ExperimentRunDir {
  readonly configuration: string;
  readonly seed: string;
  /** The run directory (its `events/` is the run's log). */
  readonly dir: string;
}

export async function readExperimentRuns(experimentDir: string): Promise<readonly ExperimentRunDir[]> {
  const experiment = JSON.parse(await readFile(join(experimentDir, "experiment.json"), "utf8")) as {
    runs: readonly ExperimentRunDir[];
  };
  return experiment.runs;
}

/**
 * Every cached per-item result of a Solver-dataset evaluation: the voting Solver's greedy answer on a
 * dataset item's pixels, with the truth on them as `answer` (the oracle: analysis only). An item can
 * appear in several entries (one per evaluated checkpoint); callers keep the one they need.
 */
export async function readDatasetEvaluations(experimentDir: string): Promise<ItemResult[]> {
  const evaluationsDir = join(experimentDir, "evaluations");
  const results: ItemResult[] = [];
  for (const file of (await readdir(evaluationsDir)).sort()) {
    if (!file.endsWith(".json") || file.endsWith(".job.json")) continue;
    const entry = JSON.parse(await readFile(join(evaluationsDir, file), "utf8")) as CachedEvaluation;
    if ((entry.settings as { kind?: string }).kind === "solver-dataset") results.push(...entry.results);
  }
  return results;
}
