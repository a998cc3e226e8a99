// Experiment for docs/learning.md E9 and E13: continue a base's supervised pretraining on one role's
// corpus examples only (a corpus seed the base never saw). E9: whether more Proposer practice makes its
// easy answer agree with its own caption (measure with proposer-easy-answer.mts). E13: whether more
// Solver practice still raises the benchmark, i.e. whether the base is short of its capacity (measure
// with `mmzero eval`).
//
//   node bin/run-ts.js experiments/analysis/proposer-tune.mts <out.ckpt> <steps>
//   CKPT=<base> (default models/base-stepwise-long.ckpt), LR=<learning rate> (default 3e-4),
//   ROLE=<proposer | solver> (default proposer)
import { AdamW, selectBackend, supervisedStep } from "../../src/gpu/index.ts";
import { worldTextCodec } from "../../src/policy/index.ts";
import { SceneImages } from "../../src/pretrain/images.ts";
import { loadSolver, writeCheckpointFile } from "../../src/pretrain/index.ts";
import { trainingRow } from "../../src/pretrain/rows.ts";
import { corpusExample, stepwiseLongCorpusOptions } from "../../src/world/index.ts";

const [out, stepsText] = process.argv.slice(2);
if (out === undefined || stepsText === undefined)
  throw new Error("usage: proposer-tune.mts <out.ckpt> <steps>");
const steps = Number(stepsText);
const batchSize = 64;
const role = process.env.ROLE ?? "proposer";
if (role !== "proposer" && role !== "solver") throw new Error(`ROLE must be proposer or solver, not ${role}`);
await selectBackend();
const { model } = await loadSolver(process.env.CKPT ?? "models/base-stepwise-long.ckpt");
const optimizer = new AdamW(model, { learningRate: Number(process.env.LR ?? 3e-4), weightDecay: 0.01 });
const codec = worldTextCodec();
const images = new SceneImages(model.config.imageSize);
for (let step = 0; step < steps; step++) {
  const rows = Array.from({ length: batchSize }, (_, offset) =>
    trainingRow(
      corpusExample(`${role}-tune`, role, step * batchSize + offset, stepwiseLongCorpusOptions),
      codec,
      images,
    ),
  );
  const stats = await supervisedStep(model, optimizer, rows, { gradientClipNorm: 1 });
  if (step % 100 === 0) process.stderr.write(`step ${step}/${steps} loss ${stats.loss.toFixed(3)}\n`);
}
optimizer.dispose();
console.log(await writeCheckpointFile(out, model));
