// Whole-loop throughput of the actor engine against a bare loop doing the same model, render and
// reward work, in the same run. Engine: Coordinator and worker XState actors, the in-process bus
// (messages copied as JSON would leave them, schema-decoded by their receiver), the file event log (validated, hashed,
// CRC-checked, fsync per append) and blobs on disk. Bare: the same unit code calling the model and
// render services directly, events kept in a Map, no actors, bus, validation or disk.
//
//   node bin/run-ts.js bench/loop.ts [--preset=quick] [--model=test] [--rounds=6]
//
// After one unmeasured `smoke` pair (the first run of a process pays for compiling code and starting
// the backend, which made the first pair's ratio an outlier), runs --rounds engine/bare pairs,
// interleaved (the order alternates per pair, so load drift hits both alike), and prints samples/s
// per phase and the engine/bare ratio per role: the median of the per-pair ratios (target >= 0.9),
// with their spread, by the wall clock and by this process's CPU time (all its threads; the render
// pool's child processes are not in it, alike in both loops). On a shared machine the wall ratio of
// a pair swings with what else runs; the CPU ratio is the one that is stable across runs. Default
// `quick`: its phases last seconds, so a ratio is not mostly timer noise as at `smoke`.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LoopServices, Recorder } from "../src/actors/index.ts";
import {
  buildSchedule,
  executeUnit,
  initialPolicyState,
  LoopRun,
  ModelService,
  RecentBlobs,
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
import { openMemoryBlobStore, readFileLogReadOnly } from "../src/store/index.ts";
import { median, type PhaseTime, phaseTimer, ratioSummary, rolePhaseOf } from "./common.ts";

const rounds = Number(process.argv.find((arg) => arg.startsWith("--rounds="))?.split("=")[1] ?? 6);
const preset = process.argv.find((arg) => arg.startsWith("--preset="))?.split("=")[1] ?? "quick";
const modelPreset = process.argv.find((arg) => arg.startsWith("--model="))?.split("=")[1] ?? "test";

type Timings = Record<string, PhaseTime>;

/** Samples drawn per phase (the same in both loops: same configuration, same events). */
function countSamples(events: readonly MmzeroEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const event of events) {
    if (!("phase" in event.payload)) continue;
    const phase = String(event.payload.phase);
    if (event.type === "ProposalSampled" || event.type === "CodeSampled")
      counts[phase] = (counts[phase] ?? 0) + 1;
    if (event.type === "AnswersSampled") counts[phase] = (counts[phase] ?? 0) + event.payload.samples.length;
  }
  return counts;
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

interface Measured {
  readonly times: Timings;
  readonly samples: Record<string, number>;
}

async function bareRun(config: ReturnType<typeof resolveRunConfig>): Promise<Measured> {
  // As the engine's services: the same recent-blob copies in front of the (memory) store.
  const blobs = new RecentBlobs(openMemoryBlobStore());
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
  const timer = phaseTimer(rolePhaseOf);
  const progress = timer.sink;
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
  timer.end();
  await model.close();
  await pool.close();
  return { times: timer.times, samples: countSamples(recorder.events) };
}

async function engineRun(config: ReturnType<typeof resolveRunConfig>): Promise<Measured> {
  const directory = await mkdtemp(join(tmpdir(), "mmzero-bench-loop-"));
  try {
    const timer = phaseTimer(rolePhaseOf);
    const result = await runSession({
      config,
      outDir: directory,
      resume: false,
      progress: timer.sink,
      clock: { nowIso: () => new Date().toISOString() },
    });
    if (result.status !== "completed") throw new Error(`engine run failed: ${result.failure?.message}`);
    timer.end();
    const events: MmzeroEvent[] = [];
    for await (const recorded of readFileLogReadOnly(join(directory, "events"))) events.push(recorded.event);
    return { times: timer.times, samples: countSamples(events) };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

await selectBackend();
// Why a longer render timeout: on a loaded machine a benchmark render can pass the preset's 2 s and
// fail the run; both loops use the same configuration, so the comparison is unchanged.
const configOf = (name: string) =>
  resolveRunConfig(name, { model: { preset: modelPreset }, render: { timeoutMs: 30_000 } });
const config = configOf(preset);
await bareRun(configOf("smoke"));
await engineRun(configOf("smoke"));
const engine: Measured[] = [];
const bare: Measured[] = [];
for (let round = 0; round < rounds; round++) {
  // Interleaved pairs, the order alternating, so machine noise hits both alike.
  if (round % 2 === 0) {
    bare.push(await bareRun(config));
    engine.push(await engineRun(config));
  } else {
    engine.push(await engineRun(config));
    bare.push(await bareRun(config));
  }
  process.stderr.write(`pair ${round + 1}/${rounds} done\n`);
}
// Each pair's ratio is bare time / engine time for the same samples (= engine/bare samples/s).
const pairRatios = (clock: keyof PhaseTime, phase: string) =>
  engine.map((run, pair) => (bare[pair]!.times[phase]?.[clock] ?? 0) / (run.times[phase]?.[clock] ?? 0));
const rate = (run: Measured, phase: string) => (run.samples[phase] ?? 0) / (run.times[phase]?.wall ?? 0);
const whole = (run: Measured, clock: keyof PhaseTime) =>
  Object.values(run.times).reduce((sum, time) => sum + time[clock], 0);
const wholeRatios = (clock: keyof PhaseTime) =>
  engine.map((run, pair) => whole(bare[pair]!, clock) / whole(run, clock));
console.log(`whole-loop throughput, preset ${preset}, model ${modelPreset}, ${rounds} interleaved pairs`);
console.log("engine/bare: median of the per-pair ratios (min-max); wall clock and this process's CPU time");
console.log("phase       samples   bare samples/s   engine samples/s   engine/bare wall     engine/bare CPU");
for (const phase of ["proposer", "coder", "solver"]) {
  console.log(
    [
      phase.padEnd(10),
      String(engine[0]!.samples[phase] ?? 0).padStart(8),
      median(bare.map((run) => rate(run, phase)))
        .toFixed(1)
        .padStart(16),
      median(engine.map((run) => rate(run, phase)))
        .toFixed(1)
        .padStart(18),
      ratioSummary(pairRatios("wall", phase)).padStart(18),
      ratioSummary(pairRatios("cpu", phase)).padStart(19),
    ].join(" "),
  );
}
console.log(
  `whole run: bare ${median(bare.map((run) => whole(run, "wall"))).toFixed(2)} s, engine ${median(
    engine.map((run) => whole(run, "wall")),
  ).toFixed(
    2,
  )} s; engine/bare wall ${ratioSummary(wholeRatios("wall"))}, CPU ${ratioSummary(wholeRatios("cpu"))}`,
);
