// Goal: AdamW follows PyTorch's algorithm (decoupled decay, bias corrections, eps outside the root),
// gradient clipping follows clip_grad_norm_, parameters without a gradient are left alone, and the
// optimizer state restores exactly.
// Method: three steps on a `test`-preset model against a float64 transcription of torch.optim.AdamW
// for a few coordinates (tolerance: float32 storage); clipping on hand-made gradients.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { AdamW, clipByGlobalNorm, readGradients, readWeights, selectBackend } from "../../src/gpu/index.ts";
import { testModel } from "./fixtures.ts";

await selectBackend({ name: "wasm" });

/** torch.optim.AdamW's update of one coordinate, in float64. */
function torchAdamW(
  parameter: number,
  gradients: readonly number[],
  options: { learningRate: number; weightDecay: number },
) {
  const [beta1, beta2, epsilon] = [0.9, 0.999, 1e-8];
  let [value, first, second] = [parameter, 0, 0];
  gradients.forEach((gradient, index) => {
    const step = index + 1;
    value *= 1 - options.learningRate * options.weightDecay;
    first = beta1 * first + (1 - beta1) * gradient;
    second = beta2 * second + (1 - beta2) * gradient * gradient;
    const denominator = Math.sqrt(second) / Math.sqrt(1 - beta2 ** step) + epsilon;
    value -= (options.learningRate / (1 - beta1 ** step)) * (first / denominator);
  });
  return value;
}

/** A gradient for one parameter: `scale * f(index)` at every coordinate. */
function gradientOf(size: number, scale: number, f: (index: number) => number = () => 1): Float32Array {
  return Float32Array.from({ length: size }, (_, index) => scale * f(index));
}

describe("AdamW", () => {
  test("matches torch.optim.AdamW step for step; parameters without gradients stay put", async () => {
    const model = testModel("adamw");
    const options = { learningRate: 0.01, weightDecay: 0.1 };
    const optimizer = new AdamW(model, options);
    const before = await readWeights(model);
    const gradientSteps = [0.5, -0.2, 0.05];
    const [outputSize, upSize] = [model.parameter("output").size, model.parameter("blocks.0.mlp.up").size];
    for (const scale of gradientSteps) {
      await optimizer.apply(
        new Map([
          ["output", gradientOf(outputSize, scale)],
          ["blocks.0.mlp.up", gradientOf(upSize, scale / 1000, (index) => index)],
        ]),
      );
    }
    const after = await readWeights(model);
    for (const [name, index, gradientScale] of [
      ["output", 0, 1],
      ["output", 17, 1],
      ["blocks.0.mlp.up", 5, 5 / 1000],
      ["blocks.0.mlp.up", 700, 700 / 1000],
    ] as const) {
      const expected = torchAdamW(
        before.get(name)!.values[index]!,
        gradientSteps.map((scale) => Math.fround(scale * gradientScale)),
        options,
      );
      const actual = after.get(name)!.values[index]!;
      assert(Math.abs(actual - expected) < 1e-6, `${name}[${index}]: ${actual} vs torch ${expected}`);
    }
    assert.deepEqual(after.get("token_embedding"), before.get("token_embedding"));
    assert.equal(optimizer.step, 3);
    model.dispose();
  });

  test("a gradient scale is the same as scaled gradients", async () => {
    const [scaled, prescaled] = [testModel("scale"), testModel("scale")];
    const size = scaled.parameter("output").size;
    await new AdamW(scaled, { learningRate: 0.05 }).apply(new Map([["output", gradientOf(size, 0.8)]]), 0.25);
    await new AdamW(prescaled, { learningRate: 0.05 }).apply(new Map([["output", gradientOf(size, 0.2)]]));
    assert.deepEqual((await readWeights(scaled)).get("output"), (await readWeights(prescaled)).get("output"));
    for (const model of [scaled, prescaled]) model.dispose();
  });

  test("a restored state continues exactly like the original", async () => {
    const [original, copy] = [testModel("resume"), testModel("resume")];
    const [first, second] = [
      new AdamW(original, { learningRate: 0.05 }),
      new AdamW(copy, { learningRate: 0.05 }),
    ];
    const gradients = new Map([
      ["output", gradientOf(original.parameter("output").size, 0.3, (index) => index % 7)],
    ]);
    await first.apply(gradients);
    second.restore(await first.state());
    copy.parameter("output").assign(original.parameter("output"));
    await first.apply(gradients);
    await second.apply(gradients);
    assert.deepEqual((await readWeights(copy)).get("output"), (await readWeights(original)).get("output"));
    assert.equal(second.step, 2);
    for (const model of [original, copy]) model.dispose();
  });
});

describe("clipByGlobalNorm", () => {
  test("reports the global norm and PyTorch's factor min(1, maxNorm / (norm + 1e-6))", () => {
    const gradients = new Map([
      ["a", Float32Array.of(3, 0)],
      ["b", Float32Array.of(0, 4)],
    ]);
    assert.deepEqual(clipByGlobalNorm(gradients, 1), { norm: 5, scale: 1 / (5 + 1e-6) });
    assert.deepEqual(clipByGlobalNorm(gradients, 10), { norm: 5, scale: 1 });
  });

  test("readGradients moves tensors to the CPU and frees them", async () => {
    const before = tf.memory().numTensors;
    const values = await readGradients({ a: tf.tensor1d([1, 2]), b: tf.tensor2d([[3]]) });
    assert.deepEqual([...values.keys()], ["a", "b"]);
    assert.deepEqual(Array.from(values.get("b")!), [3]);
    assert.equal(tf.memory().numTensors, before);
  });
});
