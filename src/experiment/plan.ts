import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { runIdOf } from "../actors/index.ts";
import type { RunConfig } from "../config/index.ts";
import { resolveRunConfig } from "../config/index.ts";

/**
 * What an experiment runs: every configuration (a preset plus an optional config file, resolved
 * exactly as `mmzero run --preset p --config f --seed s` resolves it) for every seed. The run id is
 * the hash of the resolved configuration, so a run directory under the out dir is the same run
 * whenever the same configuration and seed come back: finished runs are reused, unfinished resumed.
 */

export class ExperimentPlanError extends Error {
  override readonly name = "ExperimentPlanError";
}

export interface Configuration {
  readonly name: string;
  readonly preset: string;
  /** The config file laid over the preset, or null for the preset alone. */
  readonly configPath: string | null;
  readonly overrides: unknown;
}

export interface PlannedRun {
  readonly configuration: string;
  readonly seed: string;
  readonly config: RunConfig;
  readonly runId: string;
  /** The run directory: <out>/runs/<run id>. */
  readonly dir: string;
}

export interface ExperimentPlan {
  readonly configurations: readonly Configuration[];
  readonly seeds: readonly string[];
  readonly runs: readonly PlannedRun[];
}

export interface PlanRequest {
  readonly preset: string;
  readonly configPaths: readonly string[];
  readonly names: readonly string[];
  readonly seeds: readonly string[];
  readonly outDir: string;
}

/** "1,2,3" as seeds: non-empty, no repeats. */
export function parseSeeds(text: string): string[] {
  const seeds = text.split(",").map((seed) => seed.trim());
  if (seeds.some((seed) => seed === ""))
    throw new ExperimentPlanError(`--seeds "${text}": expected comma-separated seeds such as 1,2,3`);
  if (new Set(seeds).size !== seeds.length) throw new ExperimentPlanError(`--seeds "${text}" repeats a seed`);
  return seeds;
}

async function readConfigFile(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new ExperimentPlanError(
      `cannot read config file ${path}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/** Names from --name, else the config files' base names, else the preset's name. */
function configurationNames(request: PlanRequest): string[] {
  const count = Math.max(request.configPaths.length, 1);
  if (request.names.length > 0 && request.names.length !== count)
    throw new ExperimentPlanError(
      `${request.names.length} --name for ${count} configuration${count === 1 ? "" : "s"}: give one name per --config, or none`,
    );
  const names =
    request.names.length > 0
      ? [...request.names]
      : request.configPaths.length === 0
        ? [request.preset]
        : request.configPaths.map((path) => basename(path).replace(/\.json$/, ""));
  if (new Set(names).size !== names.length)
    throw new ExperimentPlanError(`configuration names must differ (got ${names.join(", ")}); pass --name`);
  return names;
}

export async function planExperiment(request: PlanRequest): Promise<ExperimentPlan> {
  if (request.seeds.length === 0) throw new ExperimentPlanError("an experiment needs at least one seed");
  const names = configurationNames(request);
  const paths = request.configPaths.length === 0 ? [null] : request.configPaths;
  const configurations: Configuration[] = [];
  for (const [index, path] of paths.entries()) {
    const overrides = path === null ? undefined : await readConfigFile(path);
    configurations.push({ name: names[index]!, preset: request.preset, configPath: path, overrides });
  }
  const runs = configurations.flatMap((configuration) =>
    request.seeds.map((seed) => {
      const config = resolveRunConfig(configuration.preset, configuration.overrides, { seed });
      const runId = runIdOf(config);
      return {
        configuration: configuration.name,
        seed,
        config,
        runId,
        dir: join(request.outDir, "runs", runId),
      };
    }),
  );
  const ids = new Map<string, string>();
  for (const run of runs) {
    const other = ids.get(run.runId);
    if (other !== undefined && other !== run.configuration)
      throw new ExperimentPlanError(
        `configurations ${other} and ${run.configuration} resolve to the same run configuration (${run.runId})`,
      );
    ids.set(run.runId, run.configuration);
  }
  return { configurations, seeds: request.seeds, runs };
}
