// Goal: a run refuses, before it starts, a base checkpoint whose model sees images of another size
// than the run renders (a 48 px base with the default 32 px renders), instead of failing at the first
// Solver call. Method: a one-step `test`-preset base pretrained at 48 px, loaded with both sizes.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { BaseImageSizeError, loadBasePolicy } from "../../src/app/index.ts";
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
