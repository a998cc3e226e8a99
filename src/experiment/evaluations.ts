import { join } from "node:path";
import { decodeCheckpoint, selectBackend } from "../gpu/index.ts";
import { evaluateSolver, type ItemResult, rowsOf, type SolverItem } from "../pretrain/index.ts";
import { FileBlobStore } from "../store/index.ts";
import { cachePath, readCachedResults, writeCachedResults } from "./evaluation-cache.ts";

/**
 * Solver evaluations an experiment needs, each done once: a checkpoint on a list of items (the
 * benchmark slice, or a run's Solver dataset with the loop's own pixels), greedy and optionally
 * majority-of-k, through `mmzero eval`'s evaluation code. Results come from the cache when present.
 */

export interface EvaluationJob {
  readonly checkpoint: string;
  /** The run whose blob store holds the checkpoint (and the images, for dataset items). */
  readonly runDir: string;
  readonly items: readonly SolverItem[];
  readonly samples: number;
  readonly temperature: number;
  readonly seed: string;
  /** The RGBA pixel blob of each item by id; null: each item's SVG is rendered. */
  readonly pixelHashes: ReadonlyMap<string, string> | null;
  /** What defines the results besides the checkpoint (hashed into the cache file name). */
  readonly settings: unknown;
}

export interface EvaluationProgress {
  /** Evaluations still to do and their generation rows (called once, before the first). */
  readonly planned: (evaluations: number, rows: number) => void;
  readonly rows: (done: number) => void;
}

export function jobKey(outDir: string, job: EvaluationJob): string {
  return cachePath(outDir, job.checkpoint, job.settings);
}

async function evaluate(job: EvaluationJob, onRows: (rows: number) => void): Promise<ItemResult[]> {
  const blobs = new FileBlobStore(join(job.runDir, "blobs"));
  const pixels = new Map<string, Uint8Array>();
  if (job.pixelHashes !== null)
    for (const [id, hash] of job.pixelHashes) pixels.set(id, await blobs.get(hash));
  const loaded = decodeCheckpoint(await blobs.get(job.checkpoint));
  try {
    return await evaluateSolver(loaded.model, job.items, {
      seed: job.seed,
      samples: job.samples,
      temperature: job.temperature,
      onRows,
      ...(job.pixelHashes === null ? {} : { imageOf: (item: SolverItem) => pixels.get(item.id)! }),
    });
  } finally {
    loaded.model.dispose();
  }
}

/** Every job's results by `jobKey`: cached ones read, the rest evaluated (in order) and cached. */
export async function runEvaluations(
  outDir: string,
  jobs: readonly EvaluationJob[],
  progress: EvaluationProgress,
): Promise<Map<string, readonly ItemResult[]>> {
  const results = new Map<string, readonly ItemResult[]>();
  const pending = new Map<string, EvaluationJob>();
  for (const job of jobs) {
    const key = jobKey(outDir, job);
    if (results.has(key) || pending.has(key)) continue;
    const cached = await readCachedResults(
      key,
      job.items.map((item) => item.id),
    );
    if (cached === null) pending.set(key, job);
    else results.set(key, cached);
  }
  const rowsOfJob = (job: EvaluationJob) => rowsOf(job.items.length, job.samples);
  progress.planned(
    pending.size,
    [...pending.values()].reduce((sum, job) => sum + rowsOfJob(job), 0),
  );
  // Runs in child processes (or none at all) leave this process without a backend.
  if (pending.size > 0) await selectBackend();
  let done = 0;
  for (const [key, job] of pending) {
    const evaluated = await evaluate(job, (rows) => progress.rows(done + rows));
    done += rowsOfJob(job);
    await writeCachedResults(key, { checkpoint: job.checkpoint, settings: job.settings, results: evaluated });
    results.set(key, evaluated);
  }
  return results;
}
