// Goal: batched generation with the KV cache equals generation that recomputes the prefix; the
// log-probs it reports are the ones scoreResponses computes (so GRPO's first ratio is 1); samples are
// a function of (seed, sample key) alone, not of the batch they share; constraints, EOS and limits hold.
// Method: a `test`-preset model on wasm with image and text-only prompts; compare token sequences
// exactly and log-probs within float tolerance.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import {
  ContextOverflowError,
  type GenerationRequest,
  generate,
  scoreResponses,
  selectBackend,
} from "../../src/gpu/index.ts";
import { assertAllClose, imageOf, promptOf, testModel, toyTokenizer } from "./fixtures.ts";

await selectBackend({ name: "wasm" });
const model = testModel("sampling");
const requests: GenerationRequest[] = ["red?", "blue circle?", "two", "green square three?"].map(
  (text, index) => ({
    prompt: promptOf(text),
    image: imageOf(`image-${index}`),
    sampleKey: ["sample", index],
  }),
);
const sampling = { seed: "run-1", maxNewTokens: 10, temperature: 1 };

describe("generate", () => {
  test("the KV cache gives the same tokens and log-probs as recomputing the prefix", async () => {
    const cached = await generate(model, requests, sampling);
    const recomputed = await generate(model, requests, { ...sampling, useCache: false });
    assert.deepEqual(
      cached.map((row) => row.tokens),
      recomputed.map((row) => row.tokens),
    );
    for (const [index, row] of cached.entries()) {
      assertAllClose(row.logProbs, recomputed[index]!.logProbs, 1e-5, `row ${index}`);
    }
  });

  test("reported log-probs equal scoreResponses on the sampled tokens", async () => {
    const generations = await generate(model, requests, sampling);
    const scored = await scoreResponses(
      model,
      requests.map((request, index) => ({ ...request, response: generations[index]!.tokens })),
    );
    for (const [index, row] of generations.entries()) {
      assert.equal(row.logProbs.length, row.tokens.length);
      assertAllClose(row.logProbs, scored[index]!, 1e-5, `row ${index}`);
    }
  });

  test("a sample depends on its seed and key, not on its batch", async () => {
    const together = await generate(model, requests, sampling);
    const alone = await generate(model, [requests[2]!], sampling);
    assert.deepEqual(alone[0]!.tokens, together[2]!.tokens);
    const reordered = await generate(model, [requests[3]!, requests[0]!], sampling);
    assert.deepEqual(reordered[1]!.tokens, together[0]!.tokens);
    const reseeded = await generate(model, requests, { ...sampling, seed: "run-2" });
    assert.notDeepEqual(
      reseeded.map((row) => row.tokens),
      together.map((row) => row.tokens),
    );
  });

  test("stops a row at EOS while the others run to the limit, in request order", async () => {
    const red = toyTokenizer.idOf("red");
    const blue = toyTokenizer.idOf("blue");
    // Even rows: red, red, EOS. Odd rows: blue forever.
    const constraint = (prefix: readonly number[], row: number) =>
      Array.from({ length: toyTokenizer.size }, (_, id) =>
        row % 2 === 1 ? id === blue : prefix.length < 2 ? id === red : id === toyTokenizer.eosId,
      );
    const generations = await generate(model, requests, { ...sampling, constraint });
    generations.forEach((row, index) => {
      if (index % 2 === 0)
        assert.deepEqual([row.tokens, row.stopped], [[red, red, toyTokenizer.eosId], true]);
      else assert.deepEqual([row.tokens, row.stopped], [Array(sampling.maxNewTokens).fill(blue), false]);
      assert.equal(row.logProbs.length, row.tokens.length);
    });
  });

  test("greedy decoding is the same for every seed and uses no draws", async () => {
    const textOnly = requests.map(({ prompt, sampleKey }) => ({ prompt, sampleKey }));
    const first = await generate(model, textOnly, { ...sampling, greedy: true, seed: "a" });
    const second = await generate(model, textOnly, { ...sampling, greedy: true, seed: "b" });
    assert.deepEqual(first, second);
  });

  test("refuses prompts that leave no room for the new tokens", async () => {
    const long = {
      prompt: Array.from({ length: 40 }, () => toyTokenizer.bosId),
      image: imageOf("long"),
      sampleKey: ["long"],
    };
    await assert.rejects(generate(model, [long], { ...sampling, maxNewTokens: 30 }), ContextOverflowError);
  });

  test("frees every tensor it allocates", async () => {
    const before = tf.memory().numTensors;
    await generate(model, requests, sampling);
    await generate(model, requests, { ...sampling, useCache: false });
    await scoreResponses(model, [{ ...requests[0]!, response: [4, 5] }]);
    assert.equal(tf.memory().numTensors, before);
  });
});
