/**
 * The model layer's speed on the chosen backend, against baselines measured in the same run:
 *
 *   node bin/run-ts.js bench/gpu.ts [--backend wasm] [--rows 32] [--repeats 7] [--full] [--no-cpu]
 *
 * 1. matmul peak: the backend's plain 2-D matMul (512^3 and the model's own shapes), GFLOP/s.
 * 2. training: the `small` preset on a Solver-shaped batch (64 rows x [12 question tokens, 16 image
 *    patches, 12 answer tokens]): supervised and GRPO step times, tokens/s, achieved GFLOP/s (matmul
 *    FLOPs only) and their share of the matmul peak.
 * 3. where the time goes: the same step at width 8 (identical kernel sequence, almost no arithmetic)
 *    gives the dispatch floor; a tf.profile of one step counts kernels and splits kernel time by type.
 * 4. sampling: rows x {32, 128, 256} new tokens with and without the KV cache (`small` shape with a
 *    320-slot context so 256 tokens fit; eos masked so every row runs to the limit). Without the
 *    cache, 256 tokens take about a minute, so by default that one cell is estimated from single
 *    recompute steps timed at five prefix lengths (trapezoid rule); `--full` measures it.
 * 5. backends: the small training step on cpu against wasm (skip with --no-cpu), the measurement behind
 *    the default backend.
 * Every figure is the median of --repeats runs after one warm-up, timed in this process's CPU time
 * (user + system; the machine is shared, and other processes inflate wall time only); the training
 * table shows wall time too.
 */
import * as tf from "@tensorflow/tfjs";
import { forward } from "../src/gpu/forward.ts";
import {
  AdamW,
  type BackendName,
  generate,
  grpoUpdate,
  type ModelConfig,
  modelPreset,
  parseBackendName,
  type ResponseInput,
  selectBackend,
  supervisedStep,
  VisionLanguageModel,
  validateModelConfig,
} from "../src/gpu/index.ts";
import { packBatch } from "../src/gpu/pack.ts";
import { resolveGrpoConfig } from "../src/rewards/index.ts";
import { keyedRandom } from "../src/rng/index.ts";
import { median, option } from "./common.ts";

const flag = (name: string) => process.argv.includes(`--${name}`);
const backendIndex = process.argv.indexOf("--backend");
const requestedBackend = backendIndex >= 0 ? parseBackendName(process.argv[backendIndex + 1] ?? "") : "wasm";
const backend: BackendName = requestedBackend === "auto" ? "wasm" : requestedBackend;
const repeats = option("repeats", 7);
const samplingRows = option("rows", 32);
const vocabularySize = 255; // the world's vocabulary with the tokenizer's specials
const [questionTokens, answerTokens, trainingRows] = [12, 12, 64];

/**
 * Median wall-clock and CPU milliseconds of `count` runs after one warm-up. CPU time (this process,
 * user + system) is the steadier figure on a shared machine: other processes inflate wall time only.
 */
async function measure(
  run: () => Promise<unknown> | unknown,
  count = repeats,
): Promise<{ wallMs: number; cpuMs: number }> {
  await run();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let index = 0; index < count; index++) {
    const [start, cpuStart] = [performance.now(), process.cpuUsage()];
    await run();
    const used = process.cpuUsage(cpuStart);
    wall.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wallMs: median(wall), cpuMs: median(cpu) };
}

/** Median CPU milliseconds (see measure). */
async function timeMs(run: () => Promise<unknown> | unknown, count = repeats): Promise<number> {
  return (await measure(run, count)).cpuMs;
}

const format = (value: number, digits = 1) => value.toFixed(digits).padStart(9);

/** 2-D matMul GFLOP/s for [m, k] x [k, n]. */
async function matMulGflops(m: number, k: number, n: number): Promise<number> {
  const [a, b] = [tf.randomNormal([m, k], 0, 1, "float32", 1), tf.randomNormal([k, n], 0, 1, "float32", 2)];
  const ms = await timeMs(async () => {
    const product = tf.matMul(a, b);
    await product.data();
    product.dispose();
  }, repeats * 3);
  tf.dispose([a, b]);
  return (2 * m * k * n) / ms / 1e6;
}

function solverBatch(seed: string): ResponseInput[] {
  const random = keyedRandom(seed, "bench-batch");
  let draw = 0;
  const token = () => 3 + Math.floor(random.uniformAt(draw++) * (vocabularySize - 3));
  const image = Uint8Array.from({ length: 32 * 32 * 4 }, () => Math.floor(random.uniformAt(draw++) * 256));
  return Array.from({ length: trainingRows }, () => ({
    prompt: [1, ...Array.from({ length: questionTokens - 1 }, token)],
    image,
    response: Array.from({ length: answerTokens }, token),
  }));
}

/**
 * Matmul FLOPs of one training step (forward and backward = 3x forward; embeddings are gathers):
 * per block q, k, v, o, MLP up and down, attention scores and mix; the last block computes queries,
 * output and MLP for the answer slots only; the head for the answer slots; the patch projection.
 */
function trainingStepFlops(
  config: ModelConfig,
  rows: number,
  slots: number,
  outputSlots: number,
  patches: number,
): number {
  const { width, depth, mlpRatio, patchSize } = config;
  const dense = (tokens: number, fanIn: number, fanOut: number) => 2 * rows * tokens * fanIn * fanOut;
  let forwardFlops =
    dense(patches, patchSize * patchSize * 3, width) + dense(outputSlots, width, config.vocabularySize);
  for (let layer = 0; layer < depth; layer++) {
    const queries = layer === depth - 1 ? outputSlots : slots;
    forwardFlops += 2 * dense(slots, width, width); // keys, values
    forwardFlops += 2 * dense(queries, width, width); // queries, output
    forwardFlops += 2 * dense(queries, width, width * mlpRatio); // MLP up, down
    forwardFlops += 2 * (2 * rows * queries * slots * width); // scores, mix (all heads)
  }
  return 3 * forwardFlops;
}

type Timing = { wallMs: number; cpuMs: number };

async function trainingSection(peak: number) {
  const config = modelPreset("small", vocabularySize);
  const batch = solverBatch("training");
  const packed = packBatch(config, batch, 0);
  const flops = trainingStepFlops(config, trainingRows, packed.inputSlots, answerTokens, packed.imageSlots);
  const model = VisionLanguageModel.create(config, "bench");
  const reference = model.clone();
  const optimizer = new AdamW(model, { learningRate: 1e-4 });
  const supervised = await measure(() => supervisedStep(model, optimizer, batch, { gradientClipNorm: 1 }));
  const samples = batch.map((row) => ({ ...row, oldLogProbs: row.response.map(() => -5.5), advantage: 0.5 }));
  const grpoOptions = { config: resolveGrpoConfig("release"), miniBatches: 1, gradientClipNorm: 1 };
  const grpo = await measure(() => grpoUpdate(model, reference, optimizer, samples, grpoOptions));
  const slotTokens = trainingRows * packed.inputSlots;
  console.log(
    `\n## training step: small preset (${model.parameterCount} parameters), ${trainingRows} rows x ${packed.inputSlots} slots, ${(flops / 1e9).toFixed(2)} GFLOP (matmuls)`,
  );
  console.log(`${"step".padEnd(28)}  wall ms   cpu ms  answer tok/s  slot tok/s  GFLOP/s  % of peak`);
  const rows: [string, Timing, number][] = [
    ["supervised", supervised, flops],
    ["GRPO (with reference pass)", grpo, flops + flops / 3],
  ];
  for (const [name, timing, stepFlops] of rows) {
    // Rates use CPU time: on a shared machine it is the time this process actually computed.
    const gflops = stepFlops / timing.cpuMs / 1e6;
    const rate = (count: number) => format((count * 1000) / timing.cpuMs, 0);
    console.log(
      `${name.padEnd(28)}${format(timing.wallMs)}${format(timing.cpuMs)}${rate(trainingRows * answerTokens).padStart(14)}${rate(slotTokens).padStart(12)}${format(gflops)}${format((100 * gflops) / peak).padStart(11)}`,
    );
  }
  for (const disposable of [model, reference, optimizer]) disposable.dispose();
  return { supervised, flops };
}

/** Steps per profile: summing several damps one-off pauses (GC, page faults) in single kernels. */
const profiledSteps = 3;

/** Kernel time by kernel type over profiledSteps steps, and the number of kernels per step. */
async function kernelProfile(run: () => Promise<unknown>) {
  const profile = await tf.profile(async () => {
    for (let step = 0; step < profiledSteps; step++) await run();
  });
  const byKernel = new Map<string, number>();
  let [total, count] = [0, 0];
  for (const kernel of profile.kernels) {
    // customGrad wrappers report their inner kernels again: skip them to avoid double counting.
    if (kernel.name === "forward" || kernel.name.startsWith("unnamed")) continue;
    const name =
      kernel.name !== "BatchMatMul"
        ? kernel.name
        : kernel.inputShapes[0]!.length > 2
          ? "BatchMatMul batched (attention)"
          : "BatchMatMul 2-D (dense)";
    byKernel.set(name, (byKernel.get(name) ?? 0) + Number(kernel.kernelTimeMs));
    total += Number(kernel.kernelTimeMs);
    count += 1;
  }
  return { byKernel, total, count: count / profiledSteps };
}

async function timeDispatchSection(supervised: Timing, flops: number, peak: number) {
  const tiny = validateModelConfig({ ...modelPreset("small", vocabularySize), width: 8, heads: 2 });
  const batch = solverBatch("training");
  const model = VisionLanguageModel.create(tiny, "bench-tiny");
  const optimizer = new AdamW(model, { learningRate: 1e-4 });
  const floor = await measure(() => supervisedStep(model, optimizer, batch, { gradientClipNorm: 1 }));
  const full = VisionLanguageModel.create(modelPreset("small", vocabularySize), "bench-profile");
  const fullOptimizer = new AdamW(full, { learningRate: 1e-4 });
  await supervisedStep(full, fullOptimizer, batch, { gradientClipNorm: 1 });
  const { byKernel, total, count } = await kernelProfile(() =>
    supervisedStep(full, fullOptimizer, batch, { gradientClipNorm: 1 }),
  );
  const share = (part: number) => format((100 * part) / supervised.cpuMs).trim();
  console.log("\n## where the time goes (small preset supervised step, CPU time)");
  console.log(
    `kernels per step: ${count}; the same step at width 8 (same kernels, ~no arithmetic): ${format(floor.cpuMs).trim()} ms`,
  );
  console.log(
    `dispatch and fixed costs: ${share(floor.cpuMs)} % of the step; arithmetic that scales with width: ${share(supervised.cpuMs - floor.cpuMs)} %`,
  );
  console.log(`the step's matmul FLOPs at the 2-D peak would take ${format(flops / 1e6 / peak).trim()} ms`);
  console.log(`kernel time by type (tf.profile of ${profiledSteps} steps; shares, not absolute):`);
  for (const [name, ms] of [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 10)) {
    console.log(`  ${name.padEnd(34)}${format((100 * ms) / total)} %`);
  }
  for (const disposable of [model, optimizer, full, fullOptimizer]) disposable.dispose();
}

async function samplingSection() {
  const config = validateModelConfig({ ...modelPreset("small", vocabularySize), contextLength: 320 });
  const model = VisionLanguageModel.create(config, "bench-sampling");
  const random = keyedRandom("bench", "sampling");
  const requests = Array.from({ length: samplingRows }, (_, row) => ({
    prompt: [
      1,
      ...Array.from({ length: 7 }, (_, index) => 3 + Math.floor(random.uniformAt(row * 7 + index) * 250)),
    ],
    sampleKey: ["bench", row],
  }));
  const withoutEos = Array.from({ length: vocabularySize }, (_, id) => id !== 2);
  const run = (maxNewTokens: number, useCache: boolean) =>
    generate(model, requests, {
      seed: "bench",
      maxNewTokens,
      temperature: 1,
      constraint: () => withoutEos,
      useCache,
    });
  console.log(`\n## sampling: ${samplingRows} rows, 8-token prompts, small shape (context 320), eos masked`);
  console.log("new tokens   cached ms   cached tok/s   recompute ms   recompute tok/s   cache speed-up");
  for (const tokens of [32, 128, 256]) {
    const cachedMs = await timeMs(() => run(tokens, true), 3);
    const estimate = tokens === 256 && !flag("full");
    const recomputeMs = estimate
      ? await estimateRecomputeMs(config, model, requests, tokens)
      : await timeMs(() => run(tokens, false), 1);
    const rate = (ms: number) => (samplingRows * tokens * 1000) / ms;
    console.log(
      `${String(tokens).padStart(10)}${format(cachedMs, 0).padStart(12)}${format(rate(cachedMs), 0).padStart(15)}${format(recomputeMs, 0).padStart(15)}${estimate ? "*" : " "}${format(rate(recomputeMs), 0).padStart(17)}${format(recomputeMs / cachedMs).padStart(17)}x`,
    );
  }
  if (!flag("full"))
    console.log(
      "* estimated from single recompute steps at 5 prefix lengths (trapezoid); --full measures it",
    );
  model.dispose();
}

/** Sum over steps of one recompute forward (prefix + n tokens), interpolated from 5 timed lengths. */
async function estimateRecomputeMs(
  config: ModelConfig,
  model: VisionLanguageModel,
  requests: readonly { prompt: number[] }[],
  tokens: number,
): Promise<number> {
  const points = [0, 0.25, 0.5, 0.75, 1].map((fraction) => Math.round(fraction * (tokens - 1)));
  const times: number[] = [];
  for (const generated of points) {
    const rows = requests.map((request) => ({
      prompt: request.prompt,
      response: Array(generated + 1).fill(5),
    }));
    times.push(
      await timeMs(async () => {
        const logits = tf.tidy(() => forward(model, packBatch(config, rows, 0), 1).logits);
        await logits.data();
        logits.dispose();
      }, 2),
    );
  }
  let total = 0;
  for (let index = 1; index < points.length; index++) {
    total += ((times[index - 1]! + times[index]!) / 2) * (points[index]! - points[index - 1]!);
  }
  return total + times[0]!; // the first step, counted once
}

async function backendSection(supervised: Timing) {
  if (flag("no-cpu") || backend === "cpu") return;
  await selectBackend({ name: "cpu" });
  const model = VisionLanguageModel.create(modelPreset("small", vocabularySize), "bench");
  const optimizer = new AdamW(model, { learningRate: 1e-4 });
  const batch = solverBatch("training");
  const cpuMs = await timeMs(() => supervisedStep(model, optimizer, batch, { gradientClipNorm: 1 }), 1);
  const cpuPeak = await matMulGflops(256, 256, 256);
  console.log("\n## backends (small preset supervised step)");
  console.log(
    `cpu: ${format(cpuMs, 0).trim()} ms/step (2-D matmul ${format(cpuPeak, 2).trim()} GFLOP/s); ${backend}: ${format(supervised.cpuMs, 0).trim()} ms/step; ${backend} is ${format(cpuMs / supervised.cpuMs).trim()}x faster (CPU time)`,
  );
  for (const disposable of [model, optimizer]) disposable.dispose();
}

const selected = await selectBackend({ name: backend });
console.log(
  `# bench/gpu.ts on ${selected.info.name} (${selected.info.version}; threads ${selected.info.threads}; SIMD ${selected.info.simd})`,
);
console.log(
  `medians of ${repeats} runs after a warm-up; times are this process's CPU time unless marked wall`,
);
const peak = await matMulGflops(512, 512, 512);
console.log("\n## 2-D matMul (the backend's fast path), GFLOP/s");
console.log(`512x512x512: ${format(peak).trim()}`);
for (const [m, k, n] of [
  [2496, 64, 256],
  [2496, 256, 64],
  [64, 2496, 256],
] as const) {
  console.log(`[${m},${k}]x[${k},${n}] (model shape): ${format(await matMulGflops(m, k, n)).trim()}`);
}
const { supervised, flops } = await trainingSection(peak);
await timeDispatchSection(supervised, flops, peak);
await samplingSection();
await backendSection(supervised);
console.log(
  `\nHalf of the matmul peak would be ${format(peak / 2).trim()} GFLOP/s: see docs/model.md for what it would take.`,
);
