/**
 * GRPO update throughput with one and two gradient threads (optimizer.threads), measured in the
 * same run, interleaved:
 *
 *   node bin/run-ts.js bench/training.ts [--sequences N] [--response N] [--mini-batches N] [--rounds N]
 *
 * One update = `grpoUpdate` on the `small` shape over --sequences Solver-like rollouts (prompt,
 * 32x32 image, responses of 1..--response tokens), from the same start each time. Each round runs
 * one update per thread count, the order alternating per round so drift in the machine's load hits
 * both alike; figures are medians of the rounds' wall times (two threads only pay off in wall
 * time). The process CPU time (both threads) is printed too: with 2 threads it shows what the split
 * adds (the worker's replicas, the weights sent, fixed per-batch costs paid twice). The ratio is
 * tokens/s with 2 threads over 1.
 *
 * Wall time on a loaded machine says little about an idle one, so the bench also splits the CPU
 * time (Linux /proc, 10 ms ticks) into the main thread's and the rest's (the worker thread, plus
 * GC helpers): on two otherwise idle cores an update takes about the larger of the two (with one
 * thread, the main thread's; helpers run on the other core). The "idle cores" ratio compares those.
 * On a shared machine the second core is only as free as the other processes leave it: the load
 * average is printed with the result.
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import {
  AdamW,
  GradientWorker,
  type GrpoSample,
  grpoUpdate,
  modelPreset,
  selectBackend,
  VisionLanguageModel,
} from "../src/gpu/index.ts";
import { resolveGrpoConfig } from "../src/rewards/index.ts";
import { keyedRandom } from "../src/rng/index.ts";
import { median, option } from "./common.ts";

const sequences = option("sequences", 128);
const responseMax = option("response", 16);
const miniBatches = option("mini-batches", 1);
const rounds = option("rounds", 5);
const vocabularySize = 255; // the world's vocabulary with the tokenizer's specials

const backend = await selectBackend();
const config = modelPreset("small", vocabularySize);
const base = VisionLanguageModel.create(config, "bench-training");
const random = keyedRandom("bench", "training-inputs");
const token = (index: number) => 3 + Math.floor(random.uniformAt(index) * (vocabularySize - 3));
const samples: GrpoSample[] = Array.from({ length: sequences }, (_, row) => {
  const responseLength = 1 + Math.floor(random.uniformAt(1e6 + row) * responseMax);
  return {
    prompt: [1, ...Array.from({ length: 12 }, (_, index) => token(row * 100 + index))],
    image: Uint8Array.from({ length: 32 * 32 * 4 }, (_, index) =>
      index % 4 === 3 ? 255 : Math.floor(random.uniformAt(2e6 + row * 4096 + index) * 256),
    ),
    response: Array.from({ length: responseLength }, (_, index) => token(3e6 + row * 100 + index)),
    oldLogProbs: Array.from(
      { length: responseLength },
      (_, index) => -5 + random.normalAt(4e6 + row * 100 + index),
    ),
    advantage: random.normalAt(5e6 + row),
  };
});
const tokens = samples.reduce((sum, sample) => sum + sample.response.length, 0);
const grpo = resolveGrpoConfig("release");
const worker = await GradientWorker.start();

/** The main thread's CPU milliseconds so far (user + system ticks of /proc/self/task/<pid>/stat). */
function mainThreadCpuMs(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
  // Fields after the parenthesised name: state is field 3, utime 14 and stime 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

interface Timing {
  readonly wall: number;
  readonly cpu: number;
  readonly mainThreadCpu: number;
}

/** Wall, process CPU and main-thread CPU milliseconds of one update from the base weights. */
async function updateMs(threads: 1 | 2): Promise<Timing> {
  const policy = base.clone();
  const optimizer = new AdamW(policy, { learningRate: 1e-4 });
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const mainStart = mainThreadCpuMs();
  await grpoUpdate(policy, base, optimizer, samples, {
    config: grpo,
    miniBatches,
    gradientClipNorm: 1,
    ...(threads === 2 ? { helper: worker } : {}),
  });
  const wall = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const mainThreadCpu = mainThreadCpuMs() - mainStart;
  policy.dispose();
  optimizer.dispose();
  return { wall, cpu: (cpu.user + cpu.system) / 1000, mainThreadCpu };
}

const timings: Record<1 | 2, Timing[]> = { 1: [], 2: [] };
await updateMs(1); // warm-up: wasm and the JIT compile on first use, in each thread
await updateMs(2);
const loadBefore = os.loadavg()[0]!;
for (let round = 0; round < rounds; round++) {
  const order: readonly (1 | 2)[] = round % 2 === 0 ? [1, 2] : [2, 1];
  for (const threads of order) timings[threads].push(await updateMs(threads));
}
const loadAfter = os.loadavg()[0]!;
await worker.close();
base.dispose();

const medianOf = (threads: 1 | 2, pick: (timing: Timing) => number) => median(timings[threads].map(pick));
/** On two idle cores: the busier side's CPU time. */
const idleEstimate = (timing: Timing) => Math.max(timing.mainThreadCpu, timing.cpu - timing.mainThreadCpu);
const perSecond = (threads: 1 | 2) => (tokens * 1000) / medianOf(threads, (timing) => timing.wall);
console.log(
  `# bench/training.ts: ${backend.info.name} (simd ${backend.info.simd}), small shape, ${sequences} sequences, ` +
    `${tokens} response tokens, ${miniBatches} mini-batch(es), medians of ${rounds} interleaved rounds, ` +
    `${os.availableParallelism()} cores, load ${loadBefore.toFixed(1)} -> ${loadAfter.toFixed(1)}`,
);
const columns = ["ms/update", "tokens/s", "CPU ms", "main CPU", "idle est."];
console.log(
  `${"threads".padEnd(8)}${columns.map((column) => column.padStart(11)).join("")}  rounds (wall ms)`,
);
for (const threads of [1, 2] as const) {
  const figures = [
    medianOf(threads, (timing) => timing.wall),
    perSecond(threads),
    medianOf(threads, (timing) => timing.cpu),
    medianOf(threads, (timing) => timing.mainThreadCpu),
    medianOf(threads, idleEstimate),
  ];
  const rounds = timings[threads].map((timing) => timing.wall.toFixed(0)).join(" ");
  console.log(
    `${String(threads).padEnd(8)}${figures.map((value) => value.toFixed(0).padStart(11)).join("")}  ${rounds}`,
  );
}
console.log(`ratio 2 threads / 1 thread (tokens/s, wall): ${(perSecond(2) / perSecond(1)).toFixed(2)}`);
console.log(
  `ratio on two idle cores (estimate from CPU time, busier side 1 thread / 2 threads): ${(medianOf(1, idleEstimate) / medianOf(2, idleEstimate)).toFixed(2)}`,
);
