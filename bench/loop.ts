// Whole-loop throughput of the actor engine against a bare loop doing the same model, render and
// reward work, in the same process. Engine: the worker XState actors on the in-process bus (messages
// copied as JSON would leave them, schema-decoded by their receiver), the run recorder, the file
// event log (validated, hashed, CRC-checked, fsync per append) and blobs on disk. Bare: the same unit
// code calling the model and render services directly, events kept in an array, no actors, bus,
// validation or disk.
//
//   node bin/run-ts.js bench/loop.ts [--preset=quick] [--model=<preset's model>] [--rounds=8]
//
// Why lockstep: on a shared machine the load changes within seconds, so engine and bare runs taken
// one after the other (even interleaved, order alternating) gave per-pair ratios from 0.4 to 1.2,
// by wall clock and by CPU time alike. Here both loops walk the same schedule together, unit by
// unit: unit i of one loop, then unit i of the other (the order alternating per unit), each timed
// on its own, so the two sides of every comparison run seconds apart. Per role, a round's ratio is
// the bare loop's time over the engine's for the same samples (= engine/bare samples/s, target >=
// 0.9); printed is the pooled ratio over --rounds rounds (all bare time over all engine time, after
// one unmeasured `smoke` round, since the first run in a process pays for compiling code and
// starting the backend), with the rounds' own ratios as the spread, by the wall clock and by this
// process's CPU time (the render pools' child processes are not in it, alike for both). The
// engine's units are walked here, not by the Coordinator machine (one XState transition per unit, a
// few dozen per run); everything a unit does goes through the engine as in `mmzero run`.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LoopServices, ProgressSink, Recorder, ScheduleUnit } from "../src/actors/index.ts";
import {
  describeUnit,
  executeUnit,
  initialPolicyState,
  LoopRun,
  ModelService,
  RecentBlobs,
  RenderService,
  RunRecorder,
  runIdOf,
  runStartedSpec,
  scheduleOf,
} from "../src/actors/index.ts";
import {
  loadBasePolicy,
  loadBenchmark,
  loadGrpoConfig,
  loadRewardConfig,
  openLocalServices,
} from "../src/app/index.ts";
import { resolveRunConfig } from "../src/config/index.ts";
import type { EventSpec } from "../src/events/index.ts";
import { draftAt, draftOf, type MmzeroEvent } from "../src/events/index.ts";
import { selectBackend } from "../src/gpu/index.ts";
import { worldRoleFormats, worldTextCodec } from "../src/policy/index.ts";
import { createRenderPool } from "../src/render/index.ts";
import { type BlobStore, openFileBlobStore, openFileLog, openMemoryBlobStore } from "../src/store/index.ts";
import { median, pooledRatioSummary, rolePhaseOf } from "./common.ts";

// Why 8 rounds: at 3 a role's median moved by up to 0.13 between runs on an idle machine (issue 14).
const rounds = Number(process.argv.find((arg) => arg.startsWith("--rounds="))?.split("=")[1] ?? 8);
const preset = process.argv.find((arg) => arg.startsWith("--preset="))?.split("=")[1] ?? "quick";
// Why the preset's own model by default: that is what `mmzero run --preset quick` trains and samples
// (`small`); the `test` model makes the model's work about 3x cheaper, so the engine's fixed cost per
// message weighs more than in any real run. `--model=test` still measures that worst case.
const modelOverride = process.argv.find((arg) => arg.startsWith("--model="))?.split("=")[1];

/** Seconds a phase took: by the wall clock, and of this process's CPU (all its threads). */
interface PhaseTime {
  wall: number;
  cpu: number;
}
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

type Config = ReturnType<typeof resolveRunConfig>;

/** One loop ready to walk the schedule: its run, its recorded events, and what to close after. */
interface Side {
  readonly run: LoopRun;
  events(): Promise<readonly MmzeroEvent[]>;
  close(): Promise<void>;
}

const quiet: ProgressSink = { unit() {}, metrics() {} };

/** The loop's inputs over a blob store, and the run's first event recorded through `recorder`. */
async function startRun(config: Config, blobs: BlobStore, recorder: Recorder, services: LoopServices) {
  const rewards = await loadRewardConfig(config.rewards);
  const grpo = await loadGrpoConfig(config.grpo);
  const base = await loadBasePolicy(
    blobs,
    config.model.preset,
    config.model.checkpoint,
    config.render.imageSize,
  );
  const benchmark = await loadBenchmark(config.benchmark.path);
  await recorder.record([
    runStartedSpec({
      config,
      rewards,
      grpo,
      services,
      formats: worldRoleFormats,
      benchmark,
      base,
      backend: { name: "x", version: "x", threads: 1, simd: true },
      progress: quiet,
    }),
  ]);
  return new LoopRun(
    config,
    { rewards, grpo },
    recorder,
    services,
    worldRoleFormats,
    benchmark,
    quiet,
    initialPolicyState(base),
  );
}

async function bareSide(config: Config): Promise<Side> {
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
  const recorder = new BareRecorder("bare");
  const run = await startRun(config, blobs, recorder, services);
  return {
    run,
    events: async () => recorder.events,
    async close() {
      await model.close();
      await pool.close();
    },
  };
}

/** The engine as `mmzero run` assembles it (run-session.ts), in `directory`. */
async function engineSide(config: Config, directory: string): Promise<Side> {
  const log = await openFileLog(join(directory, "events"), { runId: runIdOf(config) });
  const blobs = await openFileBlobStore(join(directory, "blobs"));
  const local = await openLocalServices(config, blobs);
  // A new log: nothing to observe and no unit to resume.
  const recorder = await RunRecorder.open(
    log,
    { nowIso: () => new Date().toISOString() },
    { observe() {}, endsUnit: () => false },
  );
  const run = await startRun(config, blobs, recorder, local.services);
  recorder.resumeAfterLastMarker();
  return {
    run,
    async events() {
      const events: MmzeroEvent[] = [];
      for await (const recorded of log.read()) events.push(recorded.event);
      return events;
    },
    async close() {
      await local[Symbol.asyncDispose]();
      await blobs.close();
      await log.close();
    },
  };
}

interface Round {
  readonly bare: Timings;
  readonly engine: Timings;
  readonly samples: Record<string, number>;
}

/** Runs one unit of a loop, charging its wall and CPU time to the unit's phase. */
async function timedUnit(side: Side, unit: ScheduleUnit, times: Timings): Promise<void> {
  const wallStarted = performance.now();
  const cpuStarted = process.cpuUsage();
  await executeUnit(side.run, unit);
  const cpu = process.cpuUsage(cpuStarted);
  const phase = rolePhaseOf(describeUnit(unit));
  const entry = times[phase] ?? { wall: 0, cpu: 0 };
  entry.wall += (performance.now() - wallStarted) / 1000;
  entry.cpu += (cpu.user + cpu.system) / 1e6;
  times[phase] = entry;
}

/** Both loops walk the schedule in lockstep, unit by unit, the order alternating per unit. */
async function lockstepRound(config: Config): Promise<Round> {
  const directory = await mkdtemp(join(tmpdir(), "mmzero-bench-loop-"));
  const bare = await bareSide(config);
  const engine = await engineSide(config, directory);
  try {
    const times = { bare: {} as Timings, engine: {} as Timings };
    for (const [index, unit] of scheduleOf(config).slice(1).entries()) {
      const order = index % 2 === 0 ? (["bare", "engine"] as const) : (["engine", "bare"] as const);
      for (const name of order) await timedUnit(name === "bare" ? bare : engine, unit, times[name]);
    }
    return { ...times, samples: countSamples(await bare.events()) };
  } finally {
    await bare.close();
    await engine.close();
    await rm(directory, { recursive: true, force: true });
  }
}

await selectBackend();
// Why a longer render timeout: on a loaded machine a benchmark render can pass the preset's 2 s and
// fail the run; both loops use the same configuration, so the comparison is unchanged.
const configOf = (name: string) =>
  resolveRunConfig(name, {
    ...(modelOverride === undefined ? {} : { model: { preset: modelOverride } }),
    render: { timeoutMs: 30_000 },
  });
const config = configOf(preset);
await lockstepRound(configOf("smoke"));
const measured: Round[] = [];
for (let round = 0; round < rounds; round++) {
  measured.push(await lockstepRound(config));
  process.stderr.write(`round ${round + 1}/${rounds} done\n`);
}
// A round's ratio is bare time / engine time for the same samples (= engine/bare samples/s).
const roundPairs = (clock: keyof PhaseTime, phase: string) =>
  measured.map((round) => ({
    baseline: round.bare[phase]?.[clock] ?? 0,
    measured: round.engine[phase]?.[clock] ?? 0,
  }));
const rate = (times: Timings, samples: number, phase: string) => samples / (times[phase]?.wall ?? 0);
const whole = (times: Timings, clock: keyof PhaseTime) =>
  Object.values(times).reduce((sum, time) => sum + time[clock], 0);
const wholePairs = (clock: keyof PhaseTime) =>
  measured.map((round) => ({ baseline: whole(round.bare, clock), measured: whole(round.engine, clock) }));
console.log(
  `whole-loop throughput, preset ${preset}, model ${config.model.preset}, ${rounds} lockstep rounds`,
);
console.log(
  "engine/bare: all rounds' bare time over their engine time (the rounds' own ratios, min-max); wall clock and this process's CPU time",
);
console.log("phase       samples   bare samples/s   engine samples/s   engine/bare wall     engine/bare CPU");
for (const phase of ["proposer", "coder", "solver"]) {
  const samples = measured[0]!.samples[phase] ?? 0;
  console.log(
    [
      phase.padEnd(10),
      String(samples).padStart(8),
      median(measured.map((round) => rate(round.bare, samples, phase)))
        .toFixed(1)
        .padStart(16),
      median(measured.map((round) => rate(round.engine, samples, phase)))
        .toFixed(1)
        .padStart(18),
      pooledRatioSummary(roundPairs("wall", phase)).padStart(18),
      pooledRatioSummary(roundPairs("cpu", phase)).padStart(19),
    ].join(" "),
  );
}
console.log(
  `all units: bare ${median(measured.map((round) => whole(round.bare, "wall"))).toFixed(2)} s, engine ${median(
    measured.map((round) => whole(round.engine, "wall")),
  ).toFixed(
    2,
  )} s; engine/bare wall ${pooledRatioSummary(wholePairs("wall"))}, CPU ${pooledRatioSummary(wholePairs("cpu"))}`,
);
