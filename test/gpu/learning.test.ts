// Goal: the model and its trainers genuinely learn: GRPO on a toy reward (the response contains the
// token "red") clearly raises the mean reward within a few steps of the `test` preset, and supervised
// steps drive the cross-entropy of a fixed batch down.
// Method: deterministic seeds on wasm; 8 prompts x 8 rollouts of up to 4 tokens per GRPO step, the
// release GRPO preset with advantages from src/rewards; thresholds far from the observed values
// (mean reward 0.23 at the start, 0.92 after four updates, 1.0 after six; loss 2.6 to 0.02).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { AdamW, generate, grpoUpdate, selectBackend, supervisedStep } from "../../src/gpu/index.ts";
import { groupAdvantages, resolveGrpoConfig } from "../../src/rewards/index.ts";
import { imageOf, promptOf, testModel, toyTokenizer } from "./fixtures.ts";

await selectBackend({ name: "wasm" });

describe("learning sanity", () => {
  test("GRPO raises the mean reward of a toy task within a few steps", async () => {
    const config = resolveGrpoConfig("release");
    const model = testModel("grpo-sanity");
    const reference = model.clone();
    const optimizer = new AdamW(model, { learningRate: 0.01 });
    const target = toyTokenizer.idOf("red");
    const [groups, groupSize] = [8, 8];
    const prompts = ["one", "two", "three", "?"];
    const meanRewards: number[] = [];
    for (let step = 0; step < 8; step++) {
      const requests = Array.from({ length: groups * groupSize }, (_, index) => ({
        prompt: promptOf(prompts[Math.floor(index / groupSize) % prompts.length]!),
        sampleKey: ["sanity", step, index],
      }));
      const generations = await generate(model, requests, {
        seed: "sanity",
        maxNewTokens: 4,
        temperature: 1,
      });
      const rewards: number[] = generations.map((generation) => (generation.tokens.includes(target) ? 1 : 0));
      meanRewards.push(rewards.reduce((sum, reward) => sum + reward, 0) / rewards.length);
      const advantages = Array.from({ length: groups }, (_, group) =>
        groupAdvantages(rewards.slice(group * groupSize, (group + 1) * groupSize), config),
      ).flat();
      const samples = requests.map((request, index) => ({
        ...request,
        response: generations[index]!.tokens,
        oldLogProbs: generations[index]!.logProbs,
        advantage: advantages[index]!,
      }));
      await grpoUpdate(model, reference, optimizer, samples, { config, miniBatches: 2, gradientClipNorm: 1 });
    }
    const [first, last] = [meanRewards[0]!, meanRewards.at(-1)!];
    assert(
      first < 0.5 && last > 0.8 && last - first > 0.4,
      `mean reward by step: ${meanRewards.map((r) => r.toFixed(2))}`,
    );
    for (const disposable of [model, reference, optimizer]) disposable.dispose();
  });

  test("supervised steps drive a fixed batch's cross-entropy down", async () => {
    const model = testModel("supervised-sanity");
    const optimizer = new AdamW(model, { learningRate: 0.01 });
    const examples = ["red?", "blue?", "green?", "two square?"].map((text, index) => ({
      prompt: promptOf(text),
      image: imageOf(`supervised-${index}`),
      response: [...toyTokenizer.encode(["one", "two", "three", "circle"][index]!), toyTokenizer.eosId],
    }));
    const losses: number[] = [];
    for (let step = 0; step < 25; step++) {
      losses.push((await supervisedStep(model, optimizer, examples, { gradientClipNorm: 1 })).loss);
    }
    assert(
      losses[0]! > 2 && losses.at(-1)! < 0.25 * losses[0]!,
      `losses: ${losses.map((l) => l.toFixed(2))}`,
    );
    model.dispose();
    optimizer.dispose();
  });

  test("training steps free every tensor they allocate", async () => {
    const model = testModel("leaks");
    const reference = model.clone();
    const optimizer = new AdamW(model, { learningRate: 0.01 });
    const examples = [
      { prompt: promptOf("red?"), image: imageOf("leaks"), response: [4, 5, toyTokenizer.eosId] },
    ];
    const before = tf.memory().numTensors;
    await supervisedStep(model, optimizer, examples, { gradientClipNorm: 1 });
    const samples = examples.map((example) => ({ ...example, oldLogProbs: [-2, -2, -2], advantage: 1 }));
    const config = resolveGrpoConfig("release");
    await grpoUpdate(model, reference, optimizer, samples, { config, miniBatches: 1, gradientClipNorm: 1 });
    assert.equal(tf.memory().numTensors, before);
    for (const disposable of [model, reference, optimizer]) disposable.dispose();
  });
});
