import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { encodeCheckpoint, modelPreset, selectBackend, VisionLanguageModel } from "../../src/gpu/index.ts";
import { worldTextCodec } from "../../src/policy/index.ts";

/**
 * A base checkpoint for loop tests: the `test` model preset with keyed initial weights (no
 * pretraining), written to `directory`. Deterministic, so runs built on it can be compared.
 */
export async function writeTestBase(directory: string): Promise<string> {
  await selectBackend();
  const model = VisionLanguageModel.create(
    modelPreset("test", worldTextCodec().tokenizer.size),
    "loop-test-base",
  );
  const { bytes } = await encodeCheckpoint(model);
  model.dispose();
  const path = join(directory, "base-test.ckpt");
  await writeFile(path, bytes);
  return path;
}

/** Config overrides for a smoke run on the test base: the smallest sizes that still walk every phase. */
export function smokeOverrides(checkpoint: string) {
  return {
    model: { preset: "test", checkpoint },
    benchmark: { sliceSize: 6 },
    render: { workers: 1 },
  };
}
