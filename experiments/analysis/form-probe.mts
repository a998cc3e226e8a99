// Analysis for docs/learning.md E39 (ANALYSIS ONLY: the corpus's answers score): how many examples does
// one read take to learn? A fresh model of a pretraining preset's shape trains on nothing but easy
// corpus examples of one content type whose question starts with a prefix (batches of 32, AdamW at a
// constant rate, clip 1), and every 100 steps prints its loss and its greedy accuracy on 200 examples of
// the same kind drawn under another seed.
//
//   node bin/run-ts.js experiments/analysis/form-probe.mts <preset> <content type> <question prefix> <steps> [learning rate]
//   e.g. form-probe.mts stepwise-48 data_chart "colour position" 1000
import { AdamW, selectBackend, supervisedStep, VisionLanguageModel } from "../../src/gpu/index.ts";
import { worldTextCodec } from "../../src/policy/index.ts";
import {
  evaluateSolver,
  isPretrainPresetName,
  pretrainModelConfig,
  pretrainPresets,
  SceneImages,
  trainingRow,
} from "../../src/pretrain/index.ts";
import { corpusExample, type SolverExample } from "../../src/world/index.ts";

const [presetName, contentType, prefix, stepsText, rateText] = process.argv.slice(2);
if (stepsText === undefined || presetName === undefined || !isPretrainPresetName(presetName))
  throw new Error("usage: form-probe.mts <preset> <content type> <question prefix> <steps> [learning rate]");
const settings = pretrainPresets[presetName];
const steps = Number(stepsText);
const batchSize = 32;

/** The first `count` easy Solver examples of the probed kind under `seed`. */
function examplesOf(seed: string, count: number): SolverExample[] {
  const found: SolverExample[] = [];
  for (let index = 0; found.length < count; index++) {
    const example = corpusExample(seed, "solver", index, settings.corpus);
    if (
      example.role === "solver" &&
      example.level === "easy" &&
      example.contentType === contentType &&
      example.question.startsWith(prefix!)
    )
      found.push(example);
  }
  return found;
}

await selectBackend();
const training = examplesOf("form-probe/train", steps * batchSize);
const probe = examplesOf("form-probe/test", 200).map((example, index) => ({
  ...example,
  id: `probe/${index}`,
  content_type: example.contentType,
}));
const model = VisionLanguageModel.create(pretrainModelConfig(settings), "form-probe");
const optimizer = new AdamW(model, {
  learningRate: Number(rateText ?? 1e-3),
  weightDecay: settings.weightDecay,
});
const images = new SceneImages(model.config.imageSize);
const codec = worldTextCodec();
console.log(`${presetName}: ${contentType} "${prefix}..." only, ${steps} steps of ${batchSize}`);
for (let step = 0; step < steps; step++) {
  const rows = training
    .slice(step * batchSize, (step + 1) * batchSize)
    .map((example) => trainingRow(example, codec, images));
  const stats = await supervisedStep(model, optimizer, rows, { gradientClipNorm: settings.gradientClipNorm });
  if ((step + 1) % 100 === 0) {
    const results = await evaluateSolver(model, probe, { seed: "form-probe", samples: 0 });
    const right = results.filter((result) => result.greedyCorrect).length;
    console.log(
      `step ${step + 1}: loss ${stats.loss.toFixed(3)}, held-out ${((100 * right) / results.length).toFixed(1)}%`,
    );
  }
}
optimizer.dispose();
model.dispose();
