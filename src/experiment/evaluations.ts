import { spawn } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { decodeCheckpoint, selectBackend } from "../gpu/index.ts";
import { evaluateSolver, type ItemResult, rowsOf, type SolverItem } from "../pretrain/index.ts";
import { FileBlobStore } from "../store/index.ts";
import { cachePath, readCachedResults, writeCachedResults } from "./evaluation-cache.ts";
import { settleAll } from "./run-executor.ts";

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
  readonly pixelHashes: Readonly<Record<string, string>> | null;
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

/** One evaluation in this process (the backend already selected). */
export async function evaluateJob(job: EvaluationJob, onRows: (rows: number) => void): Promise<ItemResult[]> {
  const blobs = new FileBlobStore(join(job.runDir, "blobs"));
  const pixels = new Map<string, Uint8Array>();
  if (job.pixelHashes !== null)
    for (const [id, hash] of Object.entries(job.pixelHashes)) pixels.set(id, await blobs.get(hash));
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

const runTsPath = resolve(import.meta.dirname, "../../bin/run-ts.js");
const workerPath = resolve(import.meta.dirname, "evaluation-worker.ts");

/** Evaluates in this process and writes the cache entry. */
async function evaluateHere(key: string, job: EvaluationJob, onRows: (rows: number) => void) {
  const results = await evaluateJob(job, onRows);
  await writeCachedResults(key, { checkpoint: job.checkpoint, settings: job.settings, results });
  return results;
}

/** Evaluates in a child process (evaluation-worker.ts), which writes the cache entry; reads it back. */
async function evaluateInChild(key: string, job: EvaluationJob, onRows: (rows: number) => void) {
  const jobPath = `${key}.job.json`;
  await mkdir(dirname(jobPath), { recursive: true });
  await writeFile(jobPath, JSON.stringify(job));
  const child = spawn(process.execPath, [runTsPath, workerPath, jobPath, key], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let errors = "";
  child.stderr.setEncoding("utf8").on("data", (text: string) => {
    errors = (errors + text).slice(-4000);
  });
  createInterface({ input: child.stdout }).on("line", (line) => {
    const rows = /^rows (\d+)$/.exec(line);
    if (rows !== null) onRows(Number(rows[1]));
  });
  const code = await new Promise<number | null>((done, fail) => {
    child.once("error", fail);
    child.once("close", (exitCode) => done(exitCode));
  });
  await rm(jobPath, { force: true });
  if (code !== 0)
    throw new EvaluationWorkerError(
      `evaluating checkpoint ${job.checkpoint} failed (exit code ${code}): ${errors.trim()}`,
    );
  const results = await readCachedResults(
    key,
    job.items.map((item) => item.id),
  );
  if (results === null) throw new EvaluationWorkerError(`the evaluation worker wrote no results to ${key}`);
  return results;
}

export class EvaluationWorkerError extends Error {
  override readonly name = "EvaluationWorkerError";
}

/**
 * Every job's results by `jobKey`: cached ones read, the rest evaluated and cached, `parallel` at a
 * time (above 1, each in its own child process: the wasm backend uses one core per process).
 */
export async function runEvaluations(
  outDir: string,
  jobs: readonly EvaluationJob[],
  progress: EvaluationProgress,
  parallel = 1,
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
  progress.planned(
    pending.size,
    [...pending.values()].reduce((sum, job) => sum + rowsOf(job.items.length, job.samples), 0),
  );
  if (pending.size === 0) return results;
  const inChildren = parallel > 1 && pending.size > 1;
  if (!inChildren) await selectBackend();
  const rowsDone = new Map<string, number>();
  const queue = [...pending];
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const [key, job] = next;
      const onRows = (rows: number) => {
        rowsDone.set(key, rows);
        progress.rows([...rowsDone.values()].reduce((sum, value) => sum + value, 0));
      };
      results.set(key, await (inChildren ? evaluateInChild : evaluateHere)(key, job, onRows));
    }
  };
  await settleAll(Array.from({ length: inChildren ? Math.min(parallel, pending.size) : 1 }, worker));
  return results;
}
