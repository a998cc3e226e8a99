// `mmzero pretrain`: trains the base model on the world corpus and writes its checkpoint. With only
// --preset it reproduces the committed models/base-<preset>.ckpt on the same backend (models/README.md).
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import { committedBasePath } from "../../app/index.ts";
import { sha256Hex } from "../../events/index.ts";
import { selectBackend } from "../../gpu/index.ts";
import {
  isPretrainPresetName,
  type PretrainSettings,
  type PretrainStep,
  pretrainBase,
  pretrainPresetNames,
  pretrainPresets,
  writeCheckpointFile,
} from "../../pretrain/index.ts";
import type { CorpusRole } from "../../world/index.ts";
import { positiveWholeNumber } from "../option-parsers.ts";
import { createProgressDisplay, type ProgressDisplay } from "../ui/progress-display.ts";

interface PretrainFlags {
  readonly preset: string;
  readonly steps?: number;
  readonly batch?: number;
  readonly imageSize?: number;
  readonly seed?: string;
  readonly out?: string;
  readonly checkpointEvery?: number;
}

/** Weight of the newest step in the per-role running loss. */
const lossSmoothing = 0.1;

function settingsFrom(flags: PretrainFlags): PretrainSettings {
  if (!isPretrainPresetName(flags.preset)) {
    throw new InvalidArgumentError(
      `unknown preset "${flags.preset}" (known: ${pretrainPresetNames.join(", ")})`,
    );
  }
  const preset = pretrainPresets[flags.preset];
  return {
    ...preset,
    ...(flags.steps === undefined ? {} : { steps: flags.steps }),
    ...(flags.batch === undefined ? {} : { batchSize: flags.batch }),
    ...(flags.imageSize === undefined ? {} : { imageSize: flags.imageSize }),
    ...(flags.seed === undefined ? {} : { seed: flags.seed }),
  };
}

/** Shows each step on the shared progress display: per-role running loss and learning rate. */
function progressReporter(display: ProgressDisplay) {
  const losses = new Map<CorpusRole, number>();
  return (step: PretrainStep) => {
    const previous = losses.get(step.role);
    losses.set(
      step.role,
      previous === undefined ? step.loss : previous + lossSmoothing * (step.loss - previous),
    );
    if (step.skipped) display.log(`mmzero pretrain: step ${step.step + 1} skipped: gradient not finite`);
    const roleLosses = [...losses].map(([role, loss]) => `${role} ${loss.toFixed(3)}`).join(", ");
    display.update(step.step + 1, step.steps, `loss ${roleLosses}  lr ${step.learningRate.toExponential(2)}`);
  };
}

function checkpointPathAt(out: string, stepsDone: number): string {
  return out.endsWith(".ckpt")
    ? `${out.slice(0, -".ckpt".length)}.step${stepsDone}.ckpt`
    : `${out}.step${stepsDone}`;
}

async function pretrainCommand(flags: PretrainFlags): Promise<void> {
  const settings = settingsFrom(flags);
  const out = resolve(flags.out ?? committedBasePath(flags.preset));
  const backend = await selectBackend();
  process.stderr.write(
    `mmzero pretrain: backend ${backend.info.name} ${backend.info.version} (${backend.reason})\n`,
  );
  process.stderr.write(`mmzero pretrain: settings ${JSON.stringify(settings)}\n`);
  const started = performance.now(); // wall-clock-ok: display only
  const display = createProgressDisplay("pretrain");
  const result = await pretrainBase(settings, {
    onStep: progressReporter(display),
    checkpointEvery: flags.checkpointEvery ?? 0,
    onCheckpoint: async (stepsDone, model) => {
      const path = checkpointPathAt(out, stepsDone);
      const written = await writeCheckpointFile(path, model);
      display.log(`mmzero pretrain: wrote ${path} (weight hash ${written.weightHash})`);
    },
  }).finally(() => display.stop());
  try {
    const written = await writeCheckpointFile(out, result.model);
    const fileHash = sha256Hex(await readFile(out));
    const seconds = (performance.now() - started) / 1000; // wall-clock-ok: display only
    process.stdout.write(
      [
        `wrote ${out}`,
        `  weight hash  ${written.weightHash}`,
        `  file sha256  ${fileHash} (${written.bytes} bytes)`,
        `  model        ${settings.modelPreset}, ${result.model.parameterCount} parameters`,
        `  steps        ${settings.steps} x batch ${settings.batchSize} (proposer ${result.examples.proposer}, coder ${result.examples.coder}, solver ${result.examples.solver} examples; ${result.skippedSteps} skipped)`,
        `  backend      ${backend.info.name} (${backend.info.version}, simd ${backend.info.simd}, threads ${backend.info.threads})`,
        `  time         ${seconds.toFixed(1)}s`,
        "",
      ].join("\n"),
    );
  } finally {
    result.model.dispose();
  }
}

export function registerPretrainCommand(program: Command): void {
  program
    .command("pretrain")
    .description(
      "Pretrain the base model on the simulated world's corpus (docs/world.md). With only --preset it reproduces the committed models/base-<preset>.ckpt bit-exactly on the same backend (MMZERO_BACKEND picks one).",
    )
    .option("-p, --preset <name>", `model preset (${pretrainPresetNames.join(", ")})`, "small")
    .option("--steps <n>", "optimiser steps (default: the preset's)", positiveWholeNumber)
    .option("--batch <n>", "examples per step (default: the preset's)", positiveWholeNumber)
    .option(
      "--image-size <px>",
      "image side in px, a multiple of the model's patch size (default: the model preset's, 32); a run on the checkpoint sets the same render.imageSize",
      positiveWholeNumber,
    )
    .option("-s, --seed <seed>", "seed of the initial weights and the corpus draws (default: the preset's)")
    .option("-o, --out <file>", "checkpoint to write (default: models/base-<preset>.ckpt)")
    .option("--checkpoint-every <n>", "also write <out>.step<N>.ckpt every n steps", positiveWholeNumber)
    .action(async (flags: PretrainFlags) => {
      await pretrainCommand(flags);
    });
}
