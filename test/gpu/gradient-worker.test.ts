// Goal: data-parallel GRPO updates (optimizer.threads 2) compute the same mini-batch gradient as one
// thread up to float summation order, give the same bits every run, and a worker that fails never
// hangs an update or gets swallowed: the caller sees a GradientWorkerError saying what happened.
// Method: shards with the whole mini-batch's totals summed against the unsplit batch (every
// aggregation mode); short GRPO runs with and without a real worker; workers that throw.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdamW,
  GradientWorker,
  GradientWorkerError,
  type GrpoSample,
  grpoShardGradients,
  grpoUpdate,
  readWeights,
  selectBackend,
  specialTokenIds,
  sumShardGradients,
  type VisionLanguageModel,
  weightHash,
} from "../../src/gpu/index.ts";
import { type GrpoPresetName, grpoPresetNames, resolveGrpoConfig } from "../../src/rewards/index.ts";
import { assertAllClose, imageOf, promptOf, testModel, toyTokenizer } from "./fixtures.ts";

/** Seven rollouts of uneven lengths and mixed-sign advantages, with log-probs near the policy's. */
function rollouts(): GrpoSample[] {
  const texts = ["red", "blue green", "one two three", "circle", "square red blue", "two", "green ? red"];
  return texts.map((text, index) => {
    const response = [...toyTokenizer.encode(text), toyTokenizer.eosId];
    return {
      prompt: promptOf(index % 2 === 0 ? "red?" : "two circle?"),
      image: imageOf(`shard-${index}`),
      response,
      oldLogProbs: response.map((_, position) => -2.3 - 0.1 * ((index + position) % 3)),
      advantage: [1, -0.5, 0.25, -1.5, 0.75, -0.25, 1.25][index]!,
    };
  });
}

function maxAbsDifference(
  a: ReadonlyMap<string, Float32Array>,
  b: ReadonlyMap<string, Float32Array>,
): number {
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
  let largest = 0;
  for (const [name, values] of a) {
    const other = b.get(name)!;
    for (let index = 0; index < values.length; index++) {
      largest = Math.max(largest, Math.abs(values[index]! - other[index]!));
    }
  }
  return largest;
}

async function weightValues(model: VisionLanguageModel): Promise<Map<string, Float32Array>> {
  return new Map([...(await readWeights(model))].map(([name, { values }]) => [name, values]));
}

before(async () => {
  await selectBackend({ name: "wasm" });
});

describe("shards normalised by the whole mini-batch", () => {
  for (const preset of grpoPresetNames satisfies readonly GrpoPresetName[]) {
    test(`two shards sum to the unsplit mini-batch (${preset})`, async () => {
      const config = resolveGrpoConfig(preset);
      const policy = testModel("shards");
      const reference = testModel("shards reference");
      const samples = rollouts();
      const padId = specialTokenIds.pad;
      const whole = {
        tokens: samples.reduce((sum, sample) => sum + sample.response.length, 0),
        sequences: samples.length,
      };
      const unsplit = await grpoShardGradients(policy, reference, samples, { config, padId });
      const summed = sumShardGradients([
        await grpoShardGradients(policy, reference, samples.slice(0, 4), { config, padId, whole }),
        await grpoShardGradients(policy, reference, samples.slice(4), { config, padId, whole }),
      ]);
      // A shard normalised by its own totals would be off by its share (here 3/7 or 4/7), not 1e-6.
      assert(maxAbsDifference(summed.gradients, unsplit.gradients) < 1e-6);
      assertAllClose(summed.parts, unsplit.parts, 1e-6, "loss parts");
      policy.dispose();
      reference.dispose();
    });
  }
});

describe("GRPO updates with a gradient worker", () => {
  let worker: GradientWorker;
  before(async () => {
    worker = await GradientWorker.start();
  });
  after(async () => {
    await worker.close();
  });

  /** Weights after `steps` updates of two mini-batches each, from the same start. */
  async function train(helper: GradientWorker | undefined, steps: number) {
    const config = resolveGrpoConfig("release");
    const policy = testModel("threads");
    const reference = policy.clone();
    const optimizer = new AdamW(policy, { learningRate: 0.01 });
    const losses: number[] = [];
    for (let step = 0; step < steps; step++) {
      const stats = await grpoUpdate(policy, reference, optimizer, rollouts(), {
        config,
        miniBatches: 2,
        gradientClipNorm: 1,
        ...(helper === undefined ? {} : { helper }),
      });
      losses.push(stats.loss);
    }
    const result = { hash: await weightHash(policy), weights: await weightValues(policy), losses };
    for (const disposable of [policy, reference, optimizer]) disposable.dispose();
    return result;
  }

  test("the same bits every run, and within float summation order of one thread", async () => {
    const steps = 3;
    const first = await train(worker, steps);
    const second = await train(worker, steps);
    assert.equal(second.hash, first.hash);
    const single = await train(undefined, steps);
    const difference = maxAbsDifference(first.weights, single.weights);
    // Why 1e-5: three AdamW steps of lr 0.01 move weights by ~3e-2; summation order changes ~1e-7 of that.
    assert(difference < 1e-5, `max abs weight difference ${difference}`);
    assertAllClose(first.losses, single.losses, 1e-5, "losses");
    const start = await weightValues(testModel("threads"));
    assert(maxAbsDifference(first.weights, start) > 1e-3, "the updates moved the weights");
  });

  test("a shard that fails in the worker is that update's GradientWorkerError; the worker serves on", async () => {
    const policy = testModel("bad shard");
    const [good, bad] = rollouts();
    const broken = { ...bad!, oldLogProbs: [-1] };
    const options = { config: resolveGrpoConfig("release"), padId: specialTokenIds.pad };
    await assert.rejects(
      worker.shardGradients(policy, policy, [broken], options),
      (error: unknown) =>
        error instanceof GradientWorkerError && /one old log-prob per response token/.test(error.message),
    );
    assert(worker.usable);
    const shard = await worker.shardGradients(policy, policy, [good!], options);
    assert(shard.gradients.size > 0);
    policy.dispose();
  });
});

describe("a gradient worker that fails", () => {
  const policy = () => testModel("failing");
  const options = { config: resolveGrpoConfig("release"), padId: specialTokenIds.pad };
  const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

  test("dying during a request rejects it with the worker's error, and every later request", async () => {
    const worker = await GradientWorker.start(fixture("gradient-worker-throws-on-request.mjs"));
    const model = policy();
    const isDeath = (error: unknown) =>
      error instanceof GradientWorkerError && /gradient worker failed: shard exploded/.test(error.message);
    await assert.rejects(worker.shardGradients(model, null, rollouts(), options), isDeath);
    assert(!worker.usable);
    await assert.rejects(worker.shardGradients(model, null, rollouts(), options), isDeath);
    await worker.close();
    model.dispose();
  });

  test("failing to start fails the first request instead of hanging it", async () => {
    const worker = await GradientWorker.start(fixture("gradient-worker-throws-on-start.mjs"));
    const model = policy();
    await assert.rejects(
      worker.shardGradients(model, null, rollouts(), options),
      (error: unknown) => error instanceof GradientWorkerError && /no backend here/.test(error.message),
    );
    await worker.close();
    model.dispose();
  });

  test("a closed worker refuses requests", async () => {
    const worker = await GradientWorker.start();
    await worker.close();
    assert(!worker.usable);
    const model = policy();
    await assert.rejects(
      worker.shardGradients(model, null, rollouts(), options),
      (error: unknown) => error instanceof GradientWorkerError && /was closed/.test(error.message),
    );
    model.dispose();
  });
});
