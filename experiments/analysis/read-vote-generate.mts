// Analysis for docs/learning.md E6: the base Solver's greedy answer and k sampled answers on every hard
// public benchmark item, drawn with `mmzero eval`'s sample keys (so answer-majority reproduces eval's
// figure), written as JSON for read-vote-analyse.mts.
//
//   node bin/run-ts.js experiments/analysis/read-vote-generate.mts <out.json> [topP=1] [k=10]
//   SEED=<seed> (default mmzero-eval) changes the sampling seed; the greedy answers do not depend on it.
//   CKPT=<file> (default models/base-stepwise-long.ckpt) picks the base (paths-analyse.mts compares two).
import { readFile, writeFile } from "node:fs/promises";
import { generate, selectBackend } from "../../src/gpu/index.ts";
import { responseTokensMax, worldRoleFormats, worldTextCodec } from "../../src/policy/index.ts";
import { loadSolver, SceneImages } from "../../src/pretrain/index.ts";
import { parseBenchmarkJsonl } from "../../src/world/index.ts";
import type { GeneratedRow } from "./generated.ts";

const [out, topPText = "1", kText = "10"] = process.argv.slice(2);
if (out === undefined) throw new Error("usage: read-vote-generate.mts <out.json> [topP] [k]");
const topP = Number(topPText);
const k = Number(kText);
const seed = process.env.SEED ?? "mmzero-eval";
await selectBackend();
const items = parseBenchmarkJsonl(await readFile("bench/data/benchmark.jsonl", "utf8")).filter(
  (item) => item.level === "hard",
);
const solver = await loadSolver(process.env.CKPT ?? "models/base-stepwise-long.ckpt");
const codec = worldTextCodec();
const images = new SceneImages(solver.model.config.imageSize);
const rows = items.map((item) => ({
  prompt: codec.promptTokens(worldRoleFormats.solverPrompt(item.question)),
  image: images.rgba(item.svg),
}));

type Request = Parameters<typeof generate>[1][number];
type Options = Parameters<typeof generate>[2];
async function responses(requests: readonly Request[], options: Omit<Options, "seed" | "maxNewTokens">) {
  const texts: string[] = [];
  for (let start = 0; start < requests.length; start += 64) {
    const batch = await generate(solver.model, requests.slice(start, start + 64), {
      seed,
      maxNewTokens: responseTokensMax.solver,
      ...options,
    });
    texts.push(...batch.map((generation) => codec.responseText(generation.tokens)));
    process.stderr.write(`${texts.length}/${requests.length}\n`);
  }
  return texts;
}
const greedy = await responses(
  rows.map((row, i) => ({ ...row, sampleKey: ["eval-greedy", items[i]!.id] })),
  { temperature: 1, greedy: true },
);
const sampled = await responses(
  rows.flatMap((row, i) =>
    Array.from({ length: k }, (_, j) => ({ ...row, sampleKey: ["eval-sample", items[i]!.id, j] })),
  ),
  { temperature: 1, greedy: false, topP },
);
const result: GeneratedRow[] = items.map((item, i) => ({
  id: item.id,
  question: item.question,
  answer: item.answer,
  contentType: item.content_type,
  steps: item.steps,
  greedy: greedy[i]!,
  samples: sampled.slice(i * k, (i + 1) * k),
}));
await writeFile(out, JSON.stringify(result));
solver.model.dispose();
