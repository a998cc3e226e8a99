import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { canonicalJson, sha256Hex } from "../events/index.ts";
import type { ItemResult } from "../pretrain/index.ts";

/**
 * Per-item evaluation results, cached in <out>/evaluations under the checkpoint's blob hash and a
 * hash of the evaluation settings (items, samples, temperature, key), so re-running or extending an
 * experiment only evaluates what it has not seen (the base, shared by every run, is evaluated once).
 */

export interface CachedEvaluation {
  readonly checkpoint: string;
  /** Whatever defines the evaluation besides the checkpoint; its hash is part of the file name. */
  readonly settings: unknown;
  readonly results: readonly ItemResult[];
}

export class EvaluationCacheError extends Error {
  override readonly name = "EvaluationCacheError";
}

export function cachePath(outDir: string, checkpoint: string, settings: unknown): string {
  const key = sha256Hex(canonicalJson(settings)).slice(0, 16);
  return join(outDir, "evaluations", `${checkpoint}-${key}.json`);
}

/** The cached results, or null when there is no entry; an entry for other items is an error. */
export async function readCachedResults(
  path: string,
  itemIds: readonly string[],
): Promise<ItemResult[] | null> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return null;
    throw error;
  }
  let entry: CachedEvaluation;
  try {
    entry = JSON.parse(text) as CachedEvaluation;
  } catch (error) {
    throw new EvaluationCacheError(`${path} is not a cached evaluation (delete it to evaluate again)`, {
      cause: error,
    });
  }
  const ids = entry.results.map((result) => result.id);
  if (ids.length !== itemIds.length || ids.some((id, index) => id !== itemIds[index]))
    throw new EvaluationCacheError(`${path} holds results for other items (delete it to evaluate again)`);
  return [...entry.results];
}

/** Writes the entry atomically (write, then rename), so an interrupted write leaves no entry. */
export async function writeCachedResults(path: string, entry: CachedEvaluation): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.partial`;
  await writeFile(temporary, `${JSON.stringify(entry)}\n`);
  await rename(temporary, path);
}
