/**
 * The sampler's hot path against bare baselines measured in the same run, interleaved:
 *
 *   node bin/run-ts.js bench/sampling.ts [--draws N] [--rows N] [--tokens N] [--repeats N]
 *
 * 1. categorical draws/s: `categoricalFromUniform` over the world's 255-token vocabulary against a
 *    bare inverse-CDF loop over the same weights and uniforms (no checks): the checks' cost.
 * 2. token choices/s: `chooseToken` (temperature 1, top-p 1, a constraint mask) against a bare
 *    tempered softmax + inverse CDF written inline over the same rows: the chooser's own overhead.
 * 3. sampled tokens/s: `generate` with the KV cache on the `small` shape, rows x tokens new tokens
 *    (eos masked so every row runs to the limit), and the share of its CPU time spent choosing tokens
 *    (choices x the chooser's per-choice time from 2).
 * Figures are medians of --repeats rounds of this process's CPU time (user + system): on a shared
 * machine other processes inflate wall time only.
 */
import { generate, modelPreset, selectBackend, VisionLanguageModel } from "../src/gpu/index.ts";
import { chooseToken } from "../src/gpu/token-choice.ts";
import { categoricalFromUniform, keyedRandom } from "../src/rng/index.ts";
import { median, option } from "./common.ts";

const draws = option("draws", 20000);
const rows = option("rows", 32);
const tokens = option("tokens", 128);
const repeats = option("repeats", 5);
const vocabularySize = 255; // the world's vocabulary with the tokenizer's specials

function cpuMs(run: () => unknown): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

async function cpuMsAsync(run: () => Promise<unknown>): Promise<number> {
  const start = process.cpuUsage();
  await run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

// Inputs: logit rows shaped like the model's (a few likely tokens, a long tail), one uniform per draw.
const random = keyedRandom("bench", "sampling-inputs");
const logitRows = Array.from({ length: 64 }, (_, row) =>
  Float32Array.from({ length: vocabularySize }, (_, id) => 4 * random.normalAt(row * vocabularySize + id)),
);
const weightRows = logitRows.map((logits) => Float64Array.from(logits, (logit) => Math.exp(logit)));
const uniforms = Float64Array.from({ length: draws }, (_, index) => random.uniformAt(1e6 + index));
const allowed = Array.from({ length: vocabularySize }, (_, id) => id !== 2);
const settings = { greedy: false, temperature: 1, topP: 1 };

/** Inverse CDF without checks: the least a categorical draw does. */
function bareCategorical(uniform: number, weights: Float64Array): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i]!;
  const target = uniform * total;
  let cumulative = 0;
  for (let i = 0; i < weights.length; i++) {
    cumulative += weights[i]!;
    if (target < cumulative) return i;
  }
  return weights.length - 1;
}

const bareWeights = new Float64Array(vocabularySize);
/** Masked softmax at temperature 1 + inverse CDF + the log-prob, inline: the least a chooser does. */
function bareChoice(uniform: number, logits: Float32Array): number {
  let maximum = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) if (allowed[i]) maximum = Math.max(maximum, logits[i]!);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const weight = allowed[i] ? Math.exp(logits[i]! - maximum) : 0;
    bareWeights[i] = weight;
    sum += Math.exp(logits[i]! - maximum);
  }
  const token = bareCategorical(uniform, bareWeights);
  return logits[token]! - maximum - Math.log(sum);
}

let sink = 0; // keeps results alive so the JIT cannot drop the loops
const cases = {
  categorical: () => {
    for (let d = 0; d < draws; d++) sink += categoricalFromUniform(uniforms[d]!, weightRows[d % 64]!);
  },
  bareCategorical: () => {
    for (let d = 0; d < draws; d++) sink += bareCategorical(uniforms[d]!, weightRows[d % 64]!);
  },
  choose: () => {
    for (let d = 0; d < draws; d++)
      sink += chooseToken(logitRows[d % 64]!, allowed, settings, uniforms[d]!).logProb;
  },
  bareChoose: () => {
    for (let d = 0; d < draws; d++) sink += bareChoice(uniforms[d]!, logitRows[d % 64]!);
  },
};
const times: Record<keyof typeof cases, number[]> = {
  categorical: [],
  bareCategorical: [],
  choose: [],
  bareChoose: [],
};
for (const run of Object.values(cases)) run(); // warm-up: the JIT compiles every loop first
for (let round = 0; round < repeats; round++) {
  for (const [name, run] of Object.entries(cases)) times[name as keyof typeof cases].push(cpuMs(run));
}
const perSecond = (name: keyof typeof cases) => (draws * 1000) / median(times[name]);
const format = (value: number) => Math.round(value).toLocaleString("en-US").padStart(12);

console.log(`# bench/sampling.ts: ${vocabularySize}-token vocabulary, ${draws} draws, medians of ${repeats}`);
console.log(`${"case".padEnd(32)}${"draws/s".padStart(12)}${"bare/s".padStart(12)}  ratio`);
console.log(
  `${"categoricalFromUniform".padEnd(32)}${format(perSecond("categorical"))}${format(perSecond("bareCategorical"))}  ${(perSecond("categorical") / perSecond("bareCategorical")).toFixed(2)}`,
);
console.log(
  `${"chooseToken (masked, T=1)".padEnd(32)}${format(perSecond("choose"))}${format(perSecond("bareChoose"))}  ${(perSecond("choose") / perSecond("bareChoose")).toFixed(2)}`,
);

const backend = await selectBackend();
const model = VisionLanguageModel.create(
  { ...modelPreset("small", vocabularySize), contextLength: 8 + tokens + 8 },
  "bench-sampling",
);
const requests = Array.from({ length: rows }, (_, row) => ({
  prompt: [1, ...Array.from({ length: 7 }, (_, index) => 3 + ((row * 7 + index * 13) % 250))],
  sampleKey: ["bench", row],
}));
const sample = () =>
  generate(model, requests, {
    seed: "bench",
    maxNewTokens: tokens,
    temperature: 1,
    constraint: () => allowed,
  });
await sample();
const sampling: number[] = [];
for (let round = 0; round < repeats; round++) sampling.push(await cpuMsAsync(sample));
const samplingMs = median(sampling);
const choiceShare = (rows * tokens * 1000) / perSecond("choose") / samplingMs;
console.log(
  `\nsampled tokens/s (${backend.info.name}, small shape, KV cache, ${rows} rows x ${tokens} tokens): ` +
    `${format((rows * tokens * 1000) / samplingMs).trim()} (${samplingMs.toFixed(0)} ms CPU); ` +
    `token choice ${(100 * choiceShare).toFixed(1)}% of it`,
);
model.dispose();
if (Number.isNaN(sink)) console.log("(unreachable: keeps the results alive)");
