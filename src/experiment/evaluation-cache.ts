import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { canonicalJson, sha256Hex } from "../events/index.ts";
import { decodeCheckpoint } from "../gpu/index.ts";
import { evaluateSolver, type ItemResult } from "../pretrain/index.ts";
import type { BenchmarkItem } from "../world/index.ts";

/**
 * Each Solver checkpoint's per-item benchmark results, cached in <out>/evaluations under the
 * checkpoint's blob hash and the evaluation settings, so re-running or extending an experiment only
 * evaluates checkpoints it has not seen (the base, shared by every run, is evaluated once).
 */

export interface EvaluationSettings {
  /** sha256 of the benchmark file. */
  readonly benchmarkSha256: string;
  /** Ids of the evaluated items, in order. */
  readonly itemIds: readonly string[];
  readonly samples: number;
  readonly temperature: number;
  /** Key of the sampled answers (the same for every checkpoint: common random numbers). */
  readonly seed: string;
}

export interface CachedEvaluation {
  readonly checkpoint: string;
  readonly settings: EvaluationSettings;
  readonly results: readonly ItemResult[];
}

export class EvaluationCacheError extends Error {
  override readonly name = "EvaluationCacheError";
}

export function cachePath(outDir: string, checkpoint: string, settings: EvaluationSettings): string {
  const key = sha256Hex(canonicalJson(settings)).slice(0, 16);
  return join(outDir, "evaluations", `${checkpoint}-${key}.json`);
}

export async function readCachedEvaluation(path: string): Promise<CachedEvaluation | null> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return null;
    throw error;
  }
  try {
    return JSON.parse(text) as CachedEvaluation;
  } catch (error) {
    throw new EvaluationCacheError(`${path} is not a cached evaluation (delete it to evaluate again)`, {
      cause: error,
    });
  }
}

/** Evaluates the checkpoint (bytes) and writes the cache entry atomically (write, then rename). */
export async function evaluateAndCache(
  path: string,
  checkpoint: string,
  bytes: Uint8Array,
  items: readonly BenchmarkItem[],
  settings: EvaluationSettings,
  onRows: (rows: number) => void,
): Promise<CachedEvaluation> {
  const loaded = decodeCheckpoint(bytes);
  let results: ItemResult[];
  try {
    results = await evaluateSolver(loaded.model, items, {
      seed: settings.seed,
      samples: settings.samples,
      temperature: settings.temperature,
      onRows,
    });
  } finally {
    loaded.model.dispose();
  }
  const entry: CachedEvaluation = { checkpoint, settings, results };
  await mkdir(join(path, ".."), { recursive: true });
  const temporary = `${path}.partial`;
  await writeFile(temporary, `${JSON.stringify(entry)}\n`);
  await rename(temporary, path);
  return entry;
}
