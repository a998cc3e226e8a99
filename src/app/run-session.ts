import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { ProgressSink } from "../actors/loop/context.ts";
import type { Clock } from "../actors/recorder.ts";
import { type LoopOutcome, runIdOf, runLoop } from "../actors/runtime.ts";
import { ModelService } from "../actors/services/model-service.ts";
import { RenderService } from "../actors/services/render-service.ts";
import { busLoopServices, hostActors, workerRoles } from "../actors/wiring.ts";
import { createMemoryBus } from "../bus/memory-bus.ts";
import type { RunConfig } from "../config/run-config.ts";
import type { PayloadOf } from "../events/index.ts";
import { type SelectedBackend, selectBackend } from "../gpu/index.ts";
import { worldRoleFormats, worldTextCodec } from "../policy/index.ts";
import { createRenderPool } from "../render/index.ts";
import { type EventLog, openFileBlobStore, openFileLog } from "../store/index.ts";
import { loadBasePolicy, loadBenchmark, loadGrpoConfig, loadRewardConfig } from "./run-inputs.ts";

export interface RunSessionOptions {
  readonly config: RunConfig;
  /** The run directory; default runs/<runId>. */
  readonly outDir?: string;
  readonly resume: boolean;
  readonly progress: ProgressSink;
  readonly clock: Clock;
  readonly onBackend?: (backend: SelectedBackend) => void;
}

export interface RunSessionResult extends LoopOutcome {
  readonly runId: string;
  readonly outDir: string;
  readonly backend: SelectedBackend;
  /** Benchmark evaluations in iteration order (0 = the base model). */
  readonly evaluations: readonly PayloadOf<"BenchmarkEvaluated">[];
  readonly eventCount: number;
  readonly chainHead: string;
}

async function evaluationsOf(log: EventLog): Promise<PayloadOf<"BenchmarkEvaluated">[]> {
  const evaluations: PayloadOf<"BenchmarkEvaluated">[] = [];
  for await (const { event } of log.read())
    if (event.type === "BenchmarkEvaluated") evaluations.push(event.payload);
  return evaluations;
}

/**
 * One run on the embedded default: file log and blob store in the run directory, the in-process
 * bus, and the Proposer/Coder/Solver/Trainer/Renderer actors hosted in this process.
 */
export async function runEmbedded(options: RunSessionOptions): Promise<RunSessionResult> {
  const config = options.config;
  const runId = runIdOf(config);
  const outDir = resolve(options.outDir ?? join("runs", runId));
  await mkdir(outDir, { recursive: true });
  const backend = await selectBackend();
  options.onBackend?.(backend);
  const rewards = await loadRewardConfig(config.rewards);
  const grpo = await loadGrpoConfig(config.grpo);
  await using log = await openFileLog(join(outDir, "events"), { runId });
  await using blobs = await openFileBlobStore(join(outDir, "blobs"));
  await using pool = createRenderPool({
    workerCount: config.render.workers,
    renderTimeoutMs: config.render.timeoutMs,
  });
  const model = new ModelService(blobs, worldTextCodec(), grpo, config.optimizer);
  const render = new RenderService(pool, blobs, config.render.imageSize);
  await using bus = createMemoryBus();
  const actors = hostActors(bus, { model, render }, workerRoles);
  try {
    const base = await loadBasePolicy(blobs, config.model.preset, config.model.checkpoint);
    const benchmark = await loadBenchmark(config.benchmark.path);
    const outcome = await runLoop({
      config,
      rewards,
      grpo,
      log,
      services: busLoopServices(bus),
      formats: worldRoleFormats,
      benchmark,
      base,
      backend: backend.info,
      progress: options.progress,
      clock: options.clock,
      resume: options.resume,
    });
    const head = await log.head();
    return {
      ...outcome,
      runId,
      outDir,
      backend,
      evaluations: await evaluationsOf(log),
      eventCount: head.seq,
      chainHead: head.chainHash,
    };
  } finally {
    for (const actor of actors) await actor.stop();
    await model.close();
  }
}
