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
 * On a shared machine the second core is only as free as the other processes leave it: the load
 * average is printed with the result.
 */
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

/** Wall and process CPU milliseconds of one update from the base weights. */
async function updateMs(threads: 1 | 2): Promise<{ wall: number; cpu: number }> {
  const policy = base.clone();
  const optimizer = new AdamW(policy, { learningRate: 1e-4 });
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  await grpoUpdate(policy, base, optimizer, samples, {
    config: grpo,
    miniBatches,
    gradientClipNorm: 1,
    ...(threads === 2 ? { helper: worker } : {}),
  });
  const wall = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  policy.dispose();
  optimizer.dispose();
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

const times: Record<1 | 2, number[]> = { 1: [], 2: [] };
const cpuTimes: Record<1 | 2, number[]> = { 1: [], 2: [] };
await updateMs(1); // warm-up: wasm and the JIT compile on first use, in each thread
await updateMs(2);
const loadBefore = os.loadavg()[0]!;
for (let round = 0; round < rounds; round++) {
  const order: readonly (1 | 2)[] = round % 2 === 0 ? [1, 2] : [2, 1];
  for (const threads of order) {
    const { wall, cpu } = await updateMs(threads);
    times[threads].push(wall);
    cpuTimes[threads].push(cpu);
  }
}
const loadAfter = os.loadavg()[0]!;
await worker.close();
base.dispose();

const perSecond = (threads: 1 | 2) => (tokens * 1000) / median(times[threads]);
console.log(
  `# bench/training.ts: ${backend.info.name} (simd ${backend.info.simd}), small shape, ${sequences} sequences, ` +
    `${tokens} response tokens, ${miniBatches} mini-batch(es), medians of ${rounds} interleaved rounds, ` +
    `${os.availableParallelism()} cores, load ${loadBefore.toFixed(1)} -> ${loadAfter.toFixed(1)}`,
);
console.log(
  `${"threads".padEnd(10)}${"ms/update".padStart(12)}${"tokens/s".padStart(12)}${"CPU ms".padStart(10)}  rounds (wall ms)`,
);
for (const threads of [1, 2] as const) {
  console.log(
    `${String(threads).padEnd(10)}${median(times[threads]).toFixed(0).padStart(12)}${perSecond(threads).toFixed(0).padStart(12)}${median(cpuTimes[threads]).toFixed(0).padStart(10)}  ${times[threads].map((ms) => ms.toFixed(0)).join(" ")}`,
  );
}
console.log(`ratio 2 threads / 1 thread (tokens/s): ${(perSecond(2) / perSecond(1)).toFixed(2)}`);
