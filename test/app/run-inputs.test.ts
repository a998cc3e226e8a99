// Goal: a run refuses, before it starts, a base checkpoint whose model sees images of another size
// than the run renders (a 48 px base with the default 32 px renders), instead of failing at the first
// Solver call, or whose model is not the size model.preset names (the checkpoint's shape is what
// would run); every run preset names a base that passes both. Method: one-step `test`-preset bases
// loaded with both sizes and with another preset's name; each run preset's committed base loaded.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { BaseImageSizeError, BaseModelPresetError, loadBasePolicy } from "../../src/app/index.ts";
import { resolveRunConfig, runPresetNames } from "../../src/config/index.ts";
import { selectBackend } from "../../src/gpu/index.ts";
import { pretrainBase, pretrainPresets, writeCheckpointFile } from "../../src/pretrain/index.ts";
import { openMemoryBlobStore } from "../../src/store/index.ts";
import { makeTempDir } from "../support/temp-dir.ts";

test("a base is loaded only when its model sees the run's render.imageSize", async () => {
  await selectBackend({ name: "wasm" });
  await using directory = await makeTempDir("run-inputs");
  const path = join(directory.path, "base-48.ckpt");
  const base = await pretrainBase({ ...pretrainPresets.test, steps: 1, batchSize: 2, imageSize: 48 });
  const written = await writeCheckpointFile(path, base.model);
  base.model.dispose();

  const blobs = openMemoryBlobStore();
  const refused = loadBasePolicy(blobs, "test", path, 32);
  await assert.rejects(refused, (error: unknown) => {
    assert.ok(error instanceof BaseImageSizeError);
    assert.equal(error.modelImageSize, 48);
    assert.equal(error.renderImageSize, 32);
    assert.match(error.message, /set render\.imageSize to 48/);
    return true;
  });
  const loaded = await loadBasePolicy(blobs, "test", path, 48);
  assert.equal(loaded.weightHash, written.weightHash);
});

test("a base is loaded only when its model is the size model.preset names", async () => {
  await selectBackend({ name: "wasm" });
  await using directory = await makeTempDir("run-inputs");
  const path = join(directory.path, "base-test.ckpt");
  const base = await pretrainBase({ ...pretrainPresets.test, steps: 1, batchSize: 2 });
  await writeCheckpointFile(path, base.model);
  base.model.dispose();

  await assert.rejects(loadBasePolicy(openMemoryBlobStore(), "small", path, 32), (error: unknown) => {
    assert.ok(error instanceof BaseModelPresetError);
    assert.equal(error.configPreset, "small");
    assert.equal(error.checkpointPreset, "test");
    assert.match(error.message, /set model\.preset to test/);
    return true;
  });
  await assert.rejects(loadBasePolicy(openMemoryBlobStore(), "tiny", path, 32), BaseModelPresetError);
});

test("every run preset's base is its model preset's size and sees its render size", async () => {
  await selectBackend({ name: "wasm" });
  for (const name of runPresetNames) {
    const { model, render } = resolveRunConfig(name);
    const loaded = await loadBasePolicy(
      openMemoryBlobStore(),
      model.preset,
      model.checkpoint,
      render.imageSize,
    );
    assert.match(loaded.weightHash, /^[0-9a-f]{64}$/, name);
  }
});
