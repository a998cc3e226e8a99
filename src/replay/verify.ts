import { join } from "node:path";
import type { ProgressSink } from "../actors/index.ts";
import { replayLoop } from "../actors/index.ts";
import { loadBenchmark, openLocalServices } from "../app/index.ts";
import { selectBackend } from "../gpu/index.ts";
import { worldRoleFormats } from "../policy/index.ts";
import { openFileBlobStore } from "../store/index.ts";
import { ReplayDivergenceError } from "./divergence.ts";
import { ExpectingRecorder } from "./expecting-recorder.ts";
import { replayServices } from "./recorded-generations.ts";
import type { RecordedRun } from "./recorded-run.ts";

export interface VerifyResult {
  readonly status: "identical" | "diverged" | "failed";
  readonly checked: number;
  readonly total: number;
  readonly divergence: ReplayDivergenceError | null;
  readonly failure: { readonly name: string; readonly message: string } | null;
  readonly seconds: number;
}

/**
 * Re-executes the recorded run from its start and compares every event it produces with the log:
 * scoring, filtering, dataset building, GRPO updates (weight hashes) and rendering run for real;
 * the policies' samples come from the log unless `resample` (then the models sample them again).
 * The run's blob store supplies the checkpoints; re-computed blobs are content-addressed, so
 * writing them again changes nothing.
 */
export async function verifyRun(
  run: RecordedRun,
  options: { resample: boolean; progress: ProgressSink },
): Promise<VerifyResult> {
  const started = performance.now(); // wall-clock-ok: speed report only
  const backend = await selectBackend();
  if (backend.info.name !== run.runStarted.payload.backend.name) {
    options.progress.metrics(
      `warning: recorded on ${run.runStarted.payload.backend.name}, replaying on ${backend.info.name}`,
      {},
    );
  }
  await using blobs = await openFileBlobStore(join(run.directory, "blobs"));
  await using local = await openLocalServices(run.config, blobs);
  const recorder = new ExpectingRecorder(run.runStarted.runId, run.events);
  const outcome = await replayLoop(
    {
      config: run.config,
      rewards: run.rewards,
      grpo: run.grpo,
      services: replayServices(local.services, run.events, options.resample),
      formats: worldRoleFormats,
      benchmark: await loadBenchmark(run.config.benchmark.path),
      base: run.base,
      backend: run.runStarted.payload.backend,
      progress: options.progress,
    },
    recorder,
  ).catch((error: unknown) => {
    // A divergence in RunStarted is thrown before the coordinator starts.
    if (error instanceof ReplayDivergenceError)
      return { status: "failed" as const, failure: error, resumedFromUnit: 0 };
    throw error;
  });
  const seconds = (performance.now() - started) / 1000; // wall-clock-ok: speed report only
  const { checked, total } = recorder.progress;
  const divergence = recorder.divergence;
  if (outcome.status === "completed" && checked === total) {
    return { status: "identical", checked, total, divergence: null, failure: null, seconds };
  }
  if (outcome.status === "completed") {
    const next = run.events.filter((entry) => entry.event.type !== "RunFailed")[checked]!.event;
    const extra = new ReplayDivergenceError(next.seq, next.type, {
      path: "<event>",
      recorded: next.type,
      recomputed: "end of run",
    });
    return { status: "diverged", checked, total, divergence: extra, failure: null, seconds };
  }
  return {
    status: divergence === null ? "failed" : "diverged",
    checked,
    total,
    divergence,
    failure: outcome.failure,
    seconds,
  };
}
