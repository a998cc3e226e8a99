// Whole-loop throughput of the actor engine against a bare loop doing the same model, render and
// reward work, in the same run. Engine: Coordinator and worker XState actors, the in-process bus
// (JSON-encoded messages, schema-decoded at each actor), the file event log (validated, hashed,
// CRC-checked, fsync per append) and blobs on disk. Bare: the same unit code calling the model and
// render services directly, events kept in a Map, no actors, bus, validation or disk.
//
//   node bin/run-ts.js bench/loop.ts [--preset=quick] [--model=test] [--rounds=4]
//
// Runs --rounds engine/bare pairs, interleaved (the order alternates per pair, so load drift and
// warm-up hit both alike), and prints samples/s per phase and the engine/bare ratio: the median of
// the per-pair ratios (target >= 0.9), with their spread. Default `quick`: its phases last seconds,
// so a ratio is not mostly timer noise as at `smoke`.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LoopServices, ProgressSink, Recorder } from "../src/actors/index.ts";
import {
  buildSchedule,
  executeUnit,
  initialPolicyState,
  LoopRun,
  ModelService,
  RenderService,
  runStartedSpec,
} from "../src/actors/index.ts";
import {
  loadBasePolicy,
  loadBenchmark,
  loadGrpoConfig,
  loadRewardConfig,
  runSession,
} from "../src/app/index.ts";
import { resolveRunConfig } from "../src/config/index.ts";
import type { EventSpec } from "../src/events/index.ts";
import { draftAt, draftOf, type MmzeroEvent } from "../src/events/index.ts";
import { selectBackend } from "../src/gpu/index.ts";
import { worldRoleFormats, worldTextCodec } from "../src/policy/index.ts";
import { createRenderPool } from "../src/render/index.ts";
import { openMemoryBlobStore } from "../src/store/index.ts";
import { median } from "./common.ts";

const rounds = Number(process.argv.find((arg) => arg.startsWith("--rounds="))?.split("=")[1] ?? 4);
const preset = process.argv.find((arg) => arg.startsWith("--preset="))?.split("=")[1] ?? "quick";
const modelPreset = process.argv.find((arg) => arg.startsWith("--model="))?.split("=")[1] ?? "test";

interface PhaseTiming {
  samples: number;
  seconds: number;
}
type Timings = Record<string, PhaseTiming>;

/** Counts samples and time per phase from the unit descriptions both loops report. */
function timingSink(timings: Timings): ProgressSink {
  let phase = "setup";
  let started = performance.now();
  return {
    unit(description) {
      const now = performance.now();
      const entry = timings[phase] ?? { samples: 0, seconds: 0 };
      entry.seconds += (now - started) / 1000;
      timings[phase] = entry;
      started = now;
      phase =
        /· (proposer|coder|solver)/.exec(description)?.[1] ??
        (description.startsWith("benchmark") ? "benchmark" : "other");
    },
    metrics() {},
  };
}

function countSamples(events: readonly MmzeroEvent[], timings: Timings): void {
  for (const event of events) {
    const phase = "phase" in event.payload ? String(event.payload.phase) : undefined;
    if (phase === undefined || timings[phase] === undefined) continue;
    if (event.type === "ProposalSampled" || event.type === "CodeSampled") timings[phase].samples += 1;
    if (event.type === "AnswersSampled") timings[phase].samples += event.payload.samples.length;
  }
}

/** A recorder that keeps events in memory and checks nothing: the bare loop's bookkeeping. */
class BareRecorder implements Recorder {
  readonly events: MmzeroEvent[] = [];
  constructor(readonly runId: string) {}
  async record(specs: readonly EventSpec[]) {
    return specs.map((spec) => {
      const event = draftAt(draftOf(this.runId, spec, ""), this.events.length + 1);
      this.events.push(event);
      return event;
    });
  }
  async chainHead() {
    return "0".repeat(64);
  }
}

async function bareRun(config: ReturnType<typeof resolveRunConfig>): Promise<Timings> {
  const blobs = openMemoryBlobStore();
  const pool = createRenderPool({
    workerCount: config.render.workers,
    renderTimeoutMs: config.render.timeoutMs,
  });
  const model = new ModelService(blobs, worldTextCodec());
  const render = new RenderService(pool, blobs);
  const services: LoopServices = {
    generate: async (role, policy, requests) =>
      (
        await model.generate({
          role,
          policy,
          requests: requests.map((request) => ({ ...request, key: [...request.key] })),
        })
      ).generations,
    update: (request) =>
      model.update({
        ...request,
        key: [...request.key],
        sequences: request.sequences.map((sequence) => ({
          ...sequence,
          tokens: [...sequence.tokens],
          oldLogProbs: [...sequence.oldLogProbs],
        })),
      }),
    render: async (outputs, size) => (await render.render({ outputs: [...outputs], size })).results,
  };
  const rewards = await loadRewardConfig(config.rewards);
  const grpo = await loadGrpoConfig(config.grpo);
  const base = await loadBasePolicy(blobs, config.model.preset, config.model.checkpoint);
  const timings: Timings = {};
  const progress = timingSink(timings);
  const recorder = new BareRecorder("bare");
  const definition = {
    config,
    rewards,
    grpo,
    services,
    formats: worldRoleFormats,
    benchmark: await loadBenchmark(config.benchmark.path),
    base,
    backend: { name: "x", version: "x", threads: 1, simd: true },
    progress,
  };
  await recorder.record([runStartedSpec(definition)]);
  const run = new LoopRun(
    config,
    { rewards, grpo },
    recorder,
    services,
    worldRoleFormats,
    definition.benchmark,
    progress,
    initialPolicyState(base),
  );
  const units = buildSchedule({
    iterations: config.iterations,
    steps: { proposer: config.proposer.steps, coder: config.coder.steps, solver: config.solver.steps },
  });
  for (const unit of units.slice(1)) await executeUnit(run, unit);
  progress.unit("end");
  countSamples(recorder.events, timings);
  await model.close();
  await pool.close();
  return timings;
}

async function engineRun(config: ReturnType<typeof resolveRunConfig>): Promise<Timings> {
  const directory = await mkdtemp(join(tmpdir(), "mmzero-bench-loop-"));
  try {
    const timings: Timings = {};
    const progress = timingSink(timings);
    const result = await runSession({
      config,
      outDir: directory,
      resume: false,
      progress,
      clock: { nowIso: () => new Date().toISOString() },
    });
    if (result.status !== "completed") throw new Error(`engine run failed: ${result.failure?.message}`);
    progress.unit("end");
    const { readFileLogReadOnly } = await import("../src/store/index.ts");
    const events: MmzeroEvent[] = [];
    for await (const recorded of readFileLogReadOnly(join(directory, "events"))) events.push(recorded.event);
    countSamples(events, timings);
    return timings;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

await selectBackend();
// Why a longer render timeout: on a loaded machine a benchmark render can pass the preset's 2 s and
// fail the run; both loops use the same configuration, so the comparison is unchanged.
const config = resolveRunConfig(preset, { model: { preset: modelPreset }, render: { timeoutMs: 30_000 } });
const engine: Timings[] = [];
const bare: Timings[] = [];
for (let round = 0; round < rounds; round++) {
  // Interleaved pairs, the order alternating, so machine noise and warm-up hit both alike.
  if (round % 2 === 0) {
    bare.push(await bareRun(config));
    engine.push(await engineRun(config));
  } else {
    engine.push(await engineRun(config));
    bare.push(await bareRun(config));
  }
  process.stderr.write(`pair ${round + 1}/${rounds} done\n`);
}
const rate = (timing: Timings, phase: string) =>
  (timing[phase]?.samples ?? 0) / (timing[phase]?.seconds ?? Number.POSITIVE_INFINITY);
const total = (timings: Timings) => Object.values(timings).reduce((sum, entry) => sum + entry.seconds, 0);
const spread = (ratios: readonly number[]) =>
  `${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`;
console.log(`whole-loop throughput, preset ${preset}, model ${modelPreset}, ${rounds} interleaved pairs`);
console.log("phase       samples   bare samples/s   engine samples/s   engine/bare   (pairs)");
for (const phase of ["proposer", "coder", "solver"]) {
  const ratios = engine.map((timing, pair) => rate(timing, phase) / rate(bare[pair]!, phase));
  console.log(
    `${phase.padEnd(10)} ${String(engine[0]![phase]?.samples ?? 0).padStart(8)} ${median(
      bare.map((timing) => rate(timing, phase)),
    )
      .toFixed(1)
      .padStart(16)} ${median(engine.map((timing) => rate(timing, phase)))
      .toFixed(1)
      .padStart(18)} ${median(ratios).toFixed(2).padStart(13)}   ${spread(ratios)}`,
  );
}
const wholeRatios = engine.map((timing, pair) => total(bare[pair]!) / total(timing));
console.log(
  `whole run: bare ${median(bare.map(total)).toFixed(2)} s, engine ${median(engine.map(total)).toFixed(2)} s, ratio ${median(wholeRatios).toFixed(2)} (pairs ${spread(wholeRatios)})`,
);
