// Goal: weights serialise deterministically (sorted names, shapes, float32 LE) and the SHA-256 of
// those bytes identifies a policy; a checkpoint saved to a BlobStore loads back bit-exactly, with its
// optimizer, so training resumes as if it had never stopped; damaged bytes are refused.
// Method: round trips through the in-memory blob store, a fast-check property on the tensor codec,
// and a resumed-versus-continuous training comparison by weight hash.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { sha256Hex } from "../../src/events/index.ts";
import {
  AdamW,
  CheckpointFormatError,
  decodeCheckpoint,
  decodeTensors,
  encodeCheckpoint,
  encodeTensors,
  loadCheckpoint,
  type NamedTensor,
  readWeights,
  saveCheckpoint,
  scoreResponses,
  selectBackend,
  supervisedStep,
  weightHash,
} from "../../src/gpu/index.ts";
import { MemoryBlobStore } from "../../src/store/index.ts";
import { imageOf, promptOf, testModel, toyTokenizer } from "./fixtures.ts";

await selectBackend({ name: "wasm" });

const examples = ["red?", "blue two?"].map((text, index) => ({
  prompt: promptOf(text),
  image: imageOf(`checkpoint-${index}`),
  response: [...toyTokenizer.encode("green one"), toyTokenizer.eosId],
}));

describe("tensor codec", () => {
  test("round-trips any named float32 tensors, and the bytes do not depend on insertion order", () => {
    const tensorArbitrary = fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 }).chain((shape) => {
      const size = shape.reduce((product, dimension) => product * dimension, 1);
      return fc
        .array(fc.float({ noNaN: true }), { minLength: size, maxLength: size })
        .map((values): NamedTensor => ({ shape, values: Float32Array.from(values) }));
    });
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tensorArbitrary, { maxKeys: 5 }),
        (record) => {
          const entries = Object.entries(record);
          const bytes = encodeTensors(new Map(entries));
          assert.deepEqual(encodeTensors(new Map([...entries].reverse())), bytes);
          const decoded = decodeTensors(bytes);
          assert.equal(decoded.size, entries.length);
          for (const [name, tensor] of entries) {
            assert.deepEqual(decoded.get(name)!.shape, tensor.shape);
            assert.deepEqual(
              new Uint8Array(decoded.get(name)!.values.buffer),
              new Uint8Array(tensor.values.buffer),
            );
          }
        },
      ),
      { seed: 41 },
    );
  });

  test("writes magic, version, sorted names, shapes and little-endian floats", () => {
    const bytes = encodeTensors(
      new Map([
        ["b", { shape: [1], values: Float32Array.of(1) }],
        ["a", { shape: [2], values: Float32Array.of(-2, 0.5) }],
      ]),
    );
    const view = new DataView(bytes.buffer);
    assert.equal(new TextDecoder().decode(bytes.subarray(0, 4)), "MMZW");
    assert.deepEqual([view.getUint32(4, true), view.getUint32(8, true)], [1, 2]);
    assert.equal(String.fromCharCode(bytes[16]!), "a");
    assert.deepEqual([view.getUint32(17, true), view.getUint32(21, true)], [1, 2]);
    assert.deepEqual([view.getFloat32(25, true), view.getFloat32(29, true)], [-2, 0.5]);
  });
});

describe("checkpoints", () => {
  test("save and load through a BlobStore bit-exactly; the weight hash is the SHA-256 of the weights", async () => {
    await using store = new MemoryBlobStore();
    const model = testModel("checkpoint");
    const saved = await saveCheckpoint(store, model);
    assert.equal(saved.weightHash, sha256Hex(encodeTensors(await readWeights(model))));
    assert.equal(saved.weightHash, await weightHash(model));
    const loaded = await loadCheckpoint(store, saved.checkpoint);
    assert.equal(loaded.weightHash, saved.weightHash);
    assert.equal(await weightHash(loaded.model), saved.weightHash);
    assert.deepEqual(loaded.model.config, model.config);
    assert.equal(loaded.optimizer, null);
    assert.deepEqual(await scoreResponses(loaded.model, examples), await scoreResponses(model, examples));
    model.dispose();
    loaded.model.dispose();
  });

  test("a resumed run reaches the same weights as an uninterrupted one", async () => {
    await using store = new MemoryBlobStore();
    const continuous = testModel("resume");
    const continuousOptimizer = new AdamW(continuous, { learningRate: 0.01 });
    const options = { gradientClipNorm: 1 };
    for (let step = 0; step < 3; step++)
      await supervisedStep(continuous, continuousOptimizer, examples, options);

    const interrupted = testModel("resume");
    const interruptedOptimizer = new AdamW(interrupted, { learningRate: 0.01 });
    await supervisedStep(interrupted, interruptedOptimizer, examples, options);
    const { checkpoint } = await saveCheckpoint(store, interrupted, interruptedOptimizer);
    const resumed = await loadCheckpoint(store, checkpoint);
    assert(resumed.optimizer !== null);
    assert.equal(resumed.optimizer.step, 1);
    for (let step = 0; step < 2; step++)
      await supervisedStep(resumed.model, resumed.optimizer, examples, options);

    assert.equal(await weightHash(resumed.model), await weightHash(continuous));
    for (const disposable of [
      continuous,
      continuousOptimizer,
      interrupted,
      interruptedOptimizer,
      resumed.model,
      resumed.optimizer,
    ]) {
      disposable.dispose();
    }
  });

  test("one changed weight changes the hash; damaged or truncated bytes are refused", async () => {
    const model = testModel("damage");
    const { bytes, weightHash: original } = await encodeCheckpoint(model);
    model.parameter("output").assign(model.parameter("output").add(1e-7));
    assert.notEqual(await weightHash(model), original);
    const flipped = Uint8Array.from(bytes);
    flipped[flipped.length - 3]! ^= 1;
    assert.throws(() => decodeCheckpoint(flipped), CheckpointFormatError);
    assert.throws(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 1)), CheckpointFormatError);
    assert.throws(() => decodeCheckpoint(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8])), CheckpointFormatError);
    model.dispose();
  });
});
