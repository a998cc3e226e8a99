import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before } from "node:test";
import { runSession } from "../../src/app/index.ts";
import type { RunConfig } from "../../src/config/index.ts";
import { encodeCheckpoint, modelPreset, selectBackend, VisionLanguageModel } from "../../src/gpu/index.ts";
import { worldTextCodec } from "../../src/policy/index.ts";
import { makeTempDir, type TempDir } from "./temp-dir.ts";

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

/**
 * Registers the enclosing suite's hooks: a temporary workspace holding the test base, made before its
 * tests and removed after them. The returned fields are set once the `before` hook has run.
 */
export function testBaseWorkspace(prefix: string): { path: string; checkpoint: string } {
  const state = { path: "", checkpoint: "" };
  let workspace: TempDir | undefined;
  before(async () => {
    workspace = await makeTempDir(prefix);
    state.path = workspace.path;
    state.checkpoint = await writeTestBase(workspace.path);
  });
  after(async () => {
    await workspace?.[Symbol.asyncDispose]();
  });
  return state;
}

/** A fresh run to completion (or failure) without progress output, stamped by a fixed clock. */
export function quietRun(config: RunConfig, outDir: string) {
  return runSession({
    config,
    outDir,
    resume: false,
    progress: { unit() {}, metrics() {} },
    clock: { nowIso: () => "2026-01-01T00:00:00.000Z" },
  });
}
