// Goal: AdamW follows PyTorch's algorithm (decoupled decay, bias corrections, eps outside the root),
// gradient clipping follows clip_grad_norm_, parameters without a gradient are left alone, and the
// optimizer state restores exactly.
// Method: three steps on a `test`-preset model against a float64 transcription of torch.optim.AdamW
// for a few coordinates; clipping on hand-made gradients.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { AdamW, clipByGlobalNorm, readWeights, selectBackend } from "../../src/gpu/index.ts";
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

describe("AdamW", () => {
  test("matches torch.optim.AdamW step for step; parameters without gradients stay put", async () => {
    const model = testModel("adamw");
    const options = { learningRate: 0.01, weightDecay: 0.1 };
    const optimizer = new AdamW(model, options);
    const before = await readWeights(model);
    const gradientSteps = [0.5, -0.2, 0.05];
    for (const scale of gradientSteps) {
      const gradients = tf.tidy(() => ({
        output: tf.mul(tf.onesLike(model.parameter("output")), scale),
        "blocks.0.mlp.up": tf.mul(
          tf
            .range(0, model.parameter("blocks.0.mlp.up").size)
            .reshape(model.parameter("blocks.0.mlp.up").shape),
          scale / 1000,
        ),
      }));
      optimizer.apply(gradients);
      tf.dispose(gradients);
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
        gradientSteps.map((scale) => scale * gradientScale),
        options,
      );
      const actual = after.get(name)!.values[index]!;
      assert(Math.abs(actual - expected) < 1e-6, `${name}[${index}]: ${actual} vs torch ${expected}`);
    }
    assert.deepEqual(after.get("token_embedding"), before.get("token_embedding"));
    assert.equal(optimizer.step, 3);
    model.dispose();
    optimizer.dispose();
  });

  test("a restored state continues exactly like the original", async () => {
    const [original, copy] = [testModel("resume"), testModel("resume")];
    const [first, second] = [
      new AdamW(original, { learningRate: 0.05 }),
      new AdamW(copy, { learningRate: 0.05 }),
    ];
    const gradient = () => ({ output: tf.fill(original.parameter("output").shape, 0.3) });
    const step = (optimizer: AdamW) => {
      const gradients = gradient();
      optimizer.apply(gradients);
      tf.dispose(gradients);
    };
    step(first);
    second.restore(await first.state());
    copy.parameter("output").assign(original.parameter("output"));
    step(first);
    step(second);
    assert.deepEqual((await readWeights(copy)).get("output"), (await readWeights(original)).get("output"));
    assert.equal(second.step, 2);
    for (const disposable of [original, copy, first, second]) disposable.dispose();
  });
});

describe("clipByGlobalNorm", () => {
  test("scales by maxNorm / (norm + 1e-6) above the limit and leaves smaller gradients alone", () => {
    const gradients = { a: tf.tensor1d([3, 0]), b: tf.tensor2d([[0, 4]]) };
    const clipped = clipByGlobalNorm(gradients, 1);
    assert.equal(clipped.norm.dataSync()[0], 5);
    const scale = 1 / (5 + 1e-6);
    assert(Math.abs(clipped.gradients.a!.dataSync()[0]! - 3 * scale) < 1e-7);
    assert(Math.abs(clipped.gradients.b!.dataSync()[1]! - 4 * scale) < 1e-7);
    const untouched = clipByGlobalNorm(gradients, 10);
    assert.deepEqual(Array.from(untouched.gradients.a!.dataSync()), [3, 0]);
    tf.dispose([gradients, clipped, untouched]);
  });
});
