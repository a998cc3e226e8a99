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
import {
  decodeCheckpoint,
  encodeCheckpoint,
  InvalidModelConfigError,
  selectBackend,
} from "../../src/gpu/index.ts";
import {
  type PretrainSettings,
  PretrainStartError,
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

test("a view jitter changes what the Solver is trained on, reproducibly; a bad one is refused", async () => {
  const solverOnly = { roleMix: { proposer: 0, coder: 0, solver: 1 }, steps: 2 };
  const plain = await trainedHash(solverOnly);
  const jittered = await trainedHash({ ...solverOnly, viewJitter: 1 });
  assert.notEqual(jittered.weightHash, plain.weightHash);
  assert.equal((await trainedHash({ ...solverOnly, viewJitter: 1 })).weightHash, jittered.weightHash);
  await assert.rejects(trainedHash({ ...solverOnly, viewJitter: 1.5 }), /view jitter 1.5/);
  await assert.rejects(trainedHash({ ...solverOnly, viewJitter: 0.3 }), /multiple of 0.0625/);
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

test("a continued pretraining starts from the given weights, deterministically, and refuses a mismatched start", async () => {
  await selectBackend({ name: "wasm" });
  const base = await pretrainBase(settings);
  const bytes = (await encodeCheckpoint(base.model)).bytes;
  base.model.dispose();
  const continuation: PretrainSettings = {
    ...settings,
    seed: "continuation",
    steps: 2,
    roleMix: { proposer: 1, coder: 0, solver: 0 },
    from: base.weightHash,
  };
  const continued = async (overrides: Partial<PretrainSettings> = {}) => {
    const result = await pretrainBase({ ...continuation, ...overrides }, {}, decodeCheckpoint(bytes).model);
    result.model.dispose();
    return result;
  };
  const first = await continued();
  assert.equal((await continued()).weightHash, first.weightHash, "same start and settings, same weights");
  assert.deepEqual(first.examples, { proposer: 8, coder: 0, solver: 0 }, "only the mixed-in role trains");
  const fresh = await trainedHash({ seed: "continuation", steps: 2, roleMix: continuation.roleMix });
  assert.notEqual(first.weightHash, fresh.weightHash, "the start's weights, not fresh ones, were trained");

  await assert.rejects(continued({ from: "0".repeat(64) }), PretrainStartError);
  const { from: _from, ...withoutFrom } = continuation;
  await assert.rejects(pretrainBase(withoutFrom, {}, decodeCheckpoint(bytes).model), PretrainStartError);
  await assert.rejects(pretrainBase(continuation), PretrainStartError);
  await assert.rejects(continued({ imageSize: 48 }), /starting model's shape/);
  await assert.rejects(continued({ patchPositions: true }), /starting model's shape/);
});

test("--patch-positions builds the model with a table per patch, recorded in the settings and the checkpoint", async () => {
  await using directory = await makeTempDir("pretrain-placed");
  const out = join(directory.path, "placed.ckpt");
  const run = pretrainCli(["--steps", "2", "--batch", "4", "--patch-positions", "--out", out]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /"patchPositions":true/);
  const placed = decodeCheckpoint(await readFile(out));
  assert.equal(placed.model.config.patchPositions, true);
  assert.ok(placed.model.parameters.has("patch_position_embedding"));
  placed.model.dispose();
  const plain = await trainedHash({ steps: 2 });
  assert.equal(plain.config.patchPositions, undefined, "without the flag the preset's shape is unchanged");
});

test("the CLI continues a checkpoint with a role mix, a learning rate and a view jitter, and never over the committed base", async () => {
  await using directory = await makeTempDir("pretrain-continue");
  const start = join(directory.path, "start.ckpt");
  assert.equal(pretrainCli(["--steps", "2", "--batch", "4", "--out", start]).status, 0);
  const startHash = decodeCheckpoint(await readFile(start));
  startHash.model.dispose();
  const out = join(directory.path, "continued.ckpt");
  const args = [
    "--from",
    start,
    "--steps",
    "2",
    "--batch",
    "4",
    "--seed",
    "continuation",
    "--role-mix",
    "1,0,0",
  ];
  const run = pretrainCli([...args, "--learning-rate", "2e-3", "--view-jitter", "0.5", "--out", out]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /"viewJitter":0.5/);
  assert.match(run.stderr, new RegExp(`"from":"${startHash.weightHash}"`));
  assert.match(run.stderr, /"roleMix":\{"proposer":1,"coder":0,"solver":0\}/);
  assert.match(run.stderr, /"peak":0.002/);
  assert.match(run.stdout, /proposer 8, coder 0, solver 0 examples/);

  const withoutOut = pretrainCli(args);
  assert.notEqual(withoutOut.status, 0);
  assert.match(withoutOut.stderr, /--from needs --out/);
  const badMix = pretrainCli(["--role-mix", "1,0", "--out", out]);
  assert.notEqual(badMix.status, 0);
  assert.match(badMix.stderr, /expected proposer,coder,solver steps per cycle/);
  const noSteps = pretrainCli(["--role-mix", "0,0,0", "--out", out]);
  assert.match(noSteps.stderr, /the role mix gives no role any steps/);
  const badJitter = pretrainCli(["--view-jitter", "0.3", "--out", out]);
  assert.notEqual(badJitter.status, 0);
  assert.match(badJitter.stderr, /--view-jitter.*multiple of 0.0625 within \(0, 1\]/);
  const unknownPreset = spawnSync(process.execPath, ["bin/mmzero.js", "pretrain", "--preset", "nope"], {
    encoding: "utf8",
  });
  assert.equal(unknownPreset.status, 1);
  assert.match(unknownPreset.stderr, /unknown preset "nope" \(known: test, small/);
});
