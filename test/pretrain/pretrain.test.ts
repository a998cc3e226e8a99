// Goal: `mmzero pretrain` is a seeded, deterministic trainer: the same settings give the same weight
// hash, another seed another one, every step trains the cycle's role, and the command writes a
// checkpoint with the hash the function computes. Method: a few steps of the `test` preset through
// the function (twice, and with another seed), then once through the real CLI in a child process.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { decodeCheckpoint, InvalidModelConfigError, selectBackend } from "../../src/gpu/index.ts";
import {
  type PretrainSettings,
  type PretrainStep,
  pretrainBase,
  pretrainPresets,
  roleBatchAt,
  roleCycle,
} from "../../src/pretrain/index.ts";
import { makeTempDir } from "../support/temp-dir.ts";

const settings: PretrainSettings = { ...pretrainPresets.test, steps: 6, batchSize: 4 };

async function trainedHash(overrides: Partial<PretrainSettings> = {}, onStep?: (step: PretrainStep) => void) {
  const result = await pretrainBase({ ...settings, ...overrides }, onStep === undefined ? {} : { onStep });
  result.model.dispose();
  return result;
}

/** `mmzero pretrain --preset test <args>` in a child process, on wasm. */
function pretrainCli(args: readonly string[]) {
  return spawnSync(process.execPath, ["bin/mmzero.js", "pretrain", "--preset", "test", ...args], {
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, MMZERO_BACKEND: "wasm" },
  });
}

test("the same settings give the same weight hash; another seed another", async () => {
  await selectBackend({ name: "wasm" });
  const tensorsBefore = tf.memory().numTensors;
  const steps: PretrainStep[] = [];
  const first = await trainedHash({}, (step) => steps.push(step));
  assert.equal(tf.memory().numTensors, tensorsBefore, "pretraining frees every tensor it allocates");
  const second = await trainedHash();
  assert.equal(second.weightHash, first.weightHash);
  const reseeded = await trainedHash({ seed: "another seed" });
  assert.notEqual(reseeded.weightHash, first.weightHash);
  assert.equal(first.config.contextLength, 128, "the test preset's context is raised to hold Coder examples");

  const cycle = roleCycle(settings.roleMix);
  assert.deepEqual(
    steps.map((step) => step.role),
    steps.map((_, index) => roleBatchAt(cycle, index).role),
  );
  // Six steps of the cycle solver, proposer, coder, solver, solver, proposer; batch 4.
  assert.deepEqual(first.examples, { proposer: 8, coder: 4, solver: 12 });
  assert.equal(first.skippedSteps, 0);
  assert.ok(steps.every((step) => Number.isFinite(step.loss) && step.loss > 0));
  assert.ok(steps[0]!.learningRate < steps[1]!.learningRate, "warm-up");
});

test("training lowers the loss of a role it sees again", async () => {
  const losses: number[] = [];
  await trainedHash({ steps: 24, roleMix: { proposer: 0, coder: 0, solver: 1 } }, (step) =>
    losses.push(step.loss),
  );
  assert.ok(losses.at(-1)! < losses[0]! - 0.5, `solver loss ${losses[0]} -> ${losses.at(-1)}`);
});

test("the CLI writes the checkpoint the function computes", async () => {
  await using directory = await makeTempDir("pretrain-cli");
  const out = join(directory.path, "base.ckpt");
  const run = pretrainCli(["--steps", "6", "--batch", "4", "--out", out, "--checkpoint-every", "3"]);
  assert.equal(run.status, 0, run.stderr);
  const expected = await trainedHash();
  assert.match(run.stdout, new RegExp(`weight hash  ${expected.weightHash}`));
  assert.match(run.stderr, /^pretrain 6\/6 /m);
  const loaded = decodeCheckpoint(await readFile(out));
  assert.equal(loaded.weightHash, expected.weightHash);
  assert.equal(loaded.optimizer, null, "a base carries no optimiser state");
  loaded.model.dispose();
  const intermediate = decodeCheckpoint(await readFile(join(directory.path, "base.step3.ckpt")));
  assert.notEqual(intermediate.weightHash, expected.weightHash);
  intermediate.model.dispose();
});

test("an image-size override trains a model on larger images; one its patches cannot tile is refused", async () => {
  const larger = await trainedHash({ imageSize: 48 });
  assert.equal(larger.config.imageSize, 48);
  assert.equal(larger.config.patchSize, 16, "the patch size stays the `test` preset's");
  assert.notEqual(larger.weightHash, (await trainedHash()).weightHash);
  await assert.rejects(trainedHash({ imageSize: 40 }), InvalidModelConfigError);
  const run = pretrainCli(["--steps", "1", "--image-size", "40", "--out", "unused.ckpt"]);
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /patch 16 does not tile image 40/);
});
