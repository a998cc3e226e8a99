// Goal: presets are valid shapes; initialisation is a pure function of (seed, parameter name) and
// gives the same weights on cpu and wasm; packing places pixels, positions and padding as documented;
// a row's scores do not depend on its padding or on the other rows; the image reaches the output.
// Method: weight hashes across seeds and backends, a fast-check property over pixel coordinates,
// and scoring the same rows alone and in mixed batches.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  ContextOverflowError,
  ImageShapeError,
  InvalidModelConfigError,
  imageToPatches,
  modelPreset,
  modelPresetNames,
  modelPresetOfShape,
  patchCount,
  readWeights,
  scoreResponses,
  selectBackend,
  VisionLanguageModel,
  validateModelConfig,
  weightHash,
} from "../../src/gpu/index.ts";
import { packBatch } from "../../src/gpu/pack.ts";
import { assertAllClose, imageOf, promptOf, testModel, toyTokenizer } from "./fixtures.ts";

await selectBackend({ name: "wasm" });
const testConfig = modelPreset("test", toyTokenizer.size);

describe("model configuration", () => {
  test("every preset is a valid shape, larger presets have more parameters", () => {
    const counts = modelPresetNames.map((name) => {
      const model = VisionLanguageModel.create(modelPreset(name, 255), "presets");
      const count = model.parameterCount;
      model.dispose();
      return count;
    });
    // modelPresetNames lists the presets smallest first.
    assert(
      counts.every((count, index) => index === 0 || counts[index - 1]! < count),
      `parameter counts ${counts}`,
    );
  });

  test("a model's size names its preset whatever its image side and context; other sizes name none", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...modelPresetNames),
        fc.integer({ min: 1, max: 500 }),
        fc.constantFrom(32, 48, 64),
        fc.constantFrom(128, 256),
        (name, vocabularySize, imageSize, contextLength) => {
          const config = { ...modelPreset(name, vocabularySize), imageSize, contextLength };
          assert.equal(modelPresetOfShape(config), name);
          assert.equal(modelPresetOfShape({ ...config, width: config.width + config.heads }), undefined);
          assert.equal(modelPresetOfShape({ ...config, depth: config.depth + 5 }), undefined);
        },
      ),
    );
  });

  test("rejects shapes that cannot be built", () => {
    const small = modelPreset("small", 100);
    assert.throws(() => validateModelConfig({ ...small, heads: 3 }), InvalidModelConfigError);
    assert.throws(() => validateModelConfig({ ...small, patchSize: 5 }), InvalidModelConfigError);
    assert.throws(() => validateModelConfig({ ...small, contextLength: 16 }), InvalidModelConfigError);
    assert.throws(() => validateModelConfig({ ...small, width: 0 }), InvalidModelConfigError);
  });
});

describe("initialisation", () => {
  test("same seed, same weights; another seed, other weights", async () => {
    const [first, again, other] = [testModel("a"), testModel("a"), testModel("b")];
    assert.equal(await weightHash(first), await weightHash(again));
    assert.notEqual(await weightHash(first), await weightHash(other));
    for (const model of [first, again, other]) model.dispose();
  });

  test("is bit-identical on cpu and wasm", async () => {
    await selectBackend({ name: "cpu" });
    const onCpu = testModel("cross-backend");
    const cpuHash = await weightHash(onCpu);
    onCpu.dispose();
    await selectBackend({ name: "wasm" });
    const onWasm = testModel("cross-backend");
    assert.equal(await weightHash(onWasm), cpuHash);
    onWasm.dispose();
  });

  test("draws normal weights at the documented scale and starts norms at 1 and 0", async () => {
    const model = VisionLanguageModel.create(modelPreset("small", 255), "scale");
    const weights = await readWeights(model);
    const embedding = weights.get("token_embedding")!.values;
    const mean = embedding.reduce((sum, value) => sum + value, 0) / embedding.length;
    const deviation = Math.sqrt(
      embedding.reduce((sum, value) => sum + (value - mean) ** 2, 0) / embedding.length,
    );
    assert(Math.abs(mean) < 0.002 && Math.abs(deviation - 0.02) < 0.001, `mean ${mean}, std ${deviation}`);
    assert(weights.get("blocks.0.mlp_norm.gain")!.values.every((value) => value === 1));
    assert(weights.get("final_norm.bias")!.values.every((value) => value === 0));
    model.dispose();
  });
});

describe("packing", () => {
  test("patches hold each pixel's RGB scaled to [0, 1], patch-major", () => {
    const { imageSize, patchSize } = testConfig;
    const image = imageOf("patches");
    const patches = imageToPatches(testConfig, image);
    fc.assert(
      fc.property(fc.nat(imageSize - 1), fc.nat(imageSize - 1), fc.nat(2), (row, column, channel) => {
        const grid = imageSize / patchSize;
        const patch = Math.floor(row / patchSize) * grid + Math.floor(column / patchSize);
        const within = (row % patchSize) * patchSize + (column % patchSize);
        const value = patches[patch * patchSize * patchSize * 3 + within * 3 + channel];
        assert.equal(value, Math.fround(image[(row * imageSize + column) * 4 + channel]! / 255));
      }),
      { seed: 11 },
    );
    assert.throws(() => imageToPatches(testConfig, new Uint8Array(16 * 16 * 4)), ImageShapeError);
  });

  test("left-pads prompts, counts positions over real slots, and masks only the padding", () => {
    const batch = packBatch(
      testConfig,
      [
        { prompt: promptOf("red"), image: imageOf("x"), response: [5, 6, 7] },
        { prompt: promptOf("red circle?"), image: imageOf("y"), response: [5] },
      ],
      toyTokenizer.padId,
    );
    const images = patchCount(testConfig);
    assert.deepEqual([batch.promptSlots, batch.imageSlots, batch.responseSlots], [5, images, 3]);
    assert.equal(batch.inputSlots, 5 + images + 2);
    assert.deepEqual(batch.leftPadding, [3, 0]);
    const firstRow = Array.from(batch.positionIds.subarray(0, batch.inputSlots));
    assert.deepEqual(
      firstRow.slice(3),
      Array.from({ length: batch.inputSlots - 3 }, (_, index) => index),
    );
    assert.deepEqual(
      Array.from(batch.keyMask.subarray(0, 4)).map((value) => value < 0),
      [true, true, true, false],
    );
    assert.deepEqual(Array.from(batch.targetMask), [1, 1, 1, 1, 0, 0]);
  });

  test("refuses sequences longer than the context", () => {
    const long = Array.from({ length: testConfig.contextLength }, () => 4);
    assert.throws(
      () => packBatch(testConfig, [{ prompt: promptOf("red"), response: long }], 0),
      (error: unknown) => error instanceof ContextOverflowError && error.index === 0,
    );
  });
});

describe("forward pass", () => {
  test("a row scores the same alone and beside longer rows (padding is invisible)", async () => {
    const model = testModel("padding");
    const row = { prompt: promptOf("red"), image: imageOf("p"), response: toyTokenizer.encode("blue two") };
    const neighbour = {
      prompt: promptOf("green circle two square?"),
      image: imageOf("q"),
      response: [4, 5, 6, 7, 8],
    };
    const [alone] = await scoreResponses(model, [row]);
    const [, beside] = await scoreResponses(model, [neighbour, row]);
    assertAllClose(alone!, beside!, 1e-5, "alone vs beside");
    model.dispose();
  });

  test("the image changes the response's scores", async () => {
    const model = testModel("image");
    const response = toyTokenizer.encode("red one");
    const [first, second] = await scoreResponses(model, [
      { prompt: promptOf("red?"), image: imageOf("one"), response },
      { prompt: promptOf("red?"), image: imageOf("two"), response },
    ]);
    assert(first!.some((value, index) => Math.abs(value - second![index]!) > 1e-4));
    model.dispose();
  });

  test("patch positions: at zero they score as the model without them; set, they move the scores", async () => {
    const plain = testModel("places");
    const weights = await readWeights(plain);
    const placedConfig = { ...plain.config, patchPositions: true };
    const table = (fill: (index: number) => number) => {
      const shape = [patchCount(placedConfig), plain.config.width];
      return {
        shape,
        values: Float32Array.from({ length: shape[0]! * shape[1]! }, (_, index) => fill(index)),
      };
    };
    const zeroPlaced = VisionLanguageModel.fromValues(
      placedConfig,
      new Map([...weights, ["patch_position_embedding", table(() => 0)]]),
    );
    const setPlaced = VisionLanguageModel.fromValues(
      placedConfig,
      new Map([...weights, ["patch_position_embedding", table((index) => Math.sin(index))]]),
    );
    const rows = [
      { prompt: promptOf("red?"), image: imageOf("one"), response: toyTokenizer.encode("red one") },
      { prompt: promptOf("green circle two square?"), image: imageOf("two"), response: [4, 5, 6] },
    ];
    const [plainScores, zeroScores, setScores] = await Promise.all(
      [plain, zeroPlaced, setPlaced].map((model) => scoreResponses(model, rows)),
    );
    rows.forEach((_, row) => {
      assertAllClose(zeroScores![row]!, plainScores![row]!, 1e-5, `row ${row}`);
      assert(setScores![row]!.some((value, index) => Math.abs(value - plainScores![row]![index]!) > 1e-4));
    });
    for (const model of [plain, zeroPlaced, setPlaced]) model.dispose();
  });

  test("patch positions add one [patches, width] table, drawn from the seed like every parameter", () => {
    const placedConfig = { ...testConfig, patchPositions: true };
    const [plain, placed] = [testConfig, placedConfig].map((config) =>
      VisionLanguageModel.create(config, "s"),
    );
    assert.equal(placed!.parameterCount - plain!.parameterCount, patchCount(testConfig) * testConfig.width);
    assert.deepEqual(placed!.parameters.get("patch_position_embedding")!.shape, [
      patchCount(testConfig),
      testConfig.width,
    ]);
    assert.equal(plain!.parameters.has("patch_position_embedding"), false);
    for (const model of [plain!, placed!]) model.dispose();
  });
});
