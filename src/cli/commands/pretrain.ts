// `mmzero pretrain`: trains the base model on the world corpus and writes its checkpoint. With only
// --preset it reproduces the committed models/base-<preset>.ckpt on the same backend (models/README.md).
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import { committedBasePath } from "../../app/index.ts";
import { sha256Hex } from "../../events/index.ts";
import { decodeCheckpoint, selectBackend, type VisionLanguageModel } from "../../gpu/index.ts";
import type { RoleMix } from "../../pretrain/index.ts";
import {
  isPretrainPresetName,
  type PretrainSettings,
  type PretrainStep,
  pretrainBase,
  pretrainPresetNames,
  pretrainPresets,
  writeCheckpointFile,
} from "../../pretrain/index.ts";
import {
  type CorpusRole,
  corpusRoles,
  isViewJitter,
  viewShiftMax,
  viewShiftQuantum,
} from "../../world/index.ts";
import { positiveNumber, positiveWholeNumber, wholeNumber } from "../option-parsers.ts";
import { createProgressDisplay, type ProgressDisplay } from "../ui/progress-display.ts";

interface PretrainFlags {
  readonly preset: string;
  readonly steps?: number;
  readonly batch?: number;
  readonly imageSize?: number;
  readonly seed?: string;
  readonly out?: string;
  readonly checkpointEvery?: number;
  readonly from?: string;
  readonly roleMix?: RoleMix;
  readonly learningRate?: number;
  readonly viewJitter?: number;
  readonly patchPositions?: boolean;
}

/** `--role-mix 1,1,0`: steps per cycle for the Proposer, the Coder and the Solver, in that order. */
function roleMixOption(text: string): RoleMix {
  const parts = text.split(",");
  if (parts.length !== corpusRoles.length)
    throw new InvalidArgumentError(
      `expected ${corpusRoles.join(",")} steps per cycle such as 1,1,8, got "${text}"`,
    );
  const steps = parts.map((part) => wholeNumber(part.trim()));
  if (steps.every((count) => count === 0))
    throw new InvalidArgumentError("the role mix gives no role any steps");
  return Object.fromEntries(corpusRoles.map((role, index) => [role, steps[index]!])) as RoleMix;
}

/** `--view-jitter 0.5`: a shift bound the scene-view module accepts. */
function viewJitterOption(text: string): number {
  const units = positiveNumber(text);
  if (!isViewJitter(units))
    throw new InvalidArgumentError(
      `expected a multiple of ${viewShiftQuantum} within (0, ${viewShiftMax}] canvas units, got "${text}"`,
    );
  return units;
}

/** Weight of the newest step in the per-role running loss. */
const lossSmoothing = 0.1;

function presetNamed(name: string): PretrainSettings {
  // A plain Error: commander prints an InvalidArgumentError only when an option parser throws it.
  if (!isPretrainPresetName(name))
    throw new Error(`unknown preset "${name}" (known: ${pretrainPresetNames.join(", ")})`);
  return pretrainPresets[name];
}

function settingsFrom(
  preset: PretrainSettings,
  flags: PretrainFlags,
  from: string | undefined,
): PretrainSettings {
  return {
    ...preset,
    ...(flags.steps === undefined ? {} : { steps: flags.steps }),
    ...(flags.batch === undefined ? {} : { batchSize: flags.batch }),
    ...(flags.imageSize === undefined ? {} : { imageSize: flags.imageSize }),
    ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    ...(flags.roleMix === undefined ? {} : { roleMix: flags.roleMix }),
    ...(flags.learningRate === undefined
      ? {}
      : { learningRate: { ...preset.learningRate, peak: flags.learningRate } }),
    ...(flags.viewJitter === undefined ? {} : { viewJitter: flags.viewJitter }),
    ...(flags.patchPositions === true ? { patchPositions: true } : {}),
    ...(from === undefined ? {} : { from }),
  };
}

/** The checkpoint a continued pretraining starts from, read before the settings are fixed. */
async function startFrom(
  path: string | undefined,
): Promise<{ model: VisionLanguageModel; weightHash: string } | undefined> {
  if (path === undefined) return undefined;
  const loaded = decodeCheckpoint(await readFile(resolve(path)));
  loaded.optimizer?.dispose();
  return { model: loaded.model, weightHash: loaded.weightHash };
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
  // Why: a continuation is not the preset's base, so it must never overwrite the committed one.
  if (flags.from !== undefined && flags.out === undefined)
    throw new Error("--from needs --out: a continued pretraining is not the preset's committed base");
  const preset = presetNamed(flags.preset);
  const out = resolve(flags.out ?? committedBasePath(flags.preset));
  const backend = await selectBackend();
  process.stderr.write(
    `mmzero pretrain: backend ${backend.info.name} ${backend.info.version} (${backend.reason})\n`,
  );
  const start = await startFrom(flags.from);
  const settings = settingsFrom(preset, flags, start?.weightHash);
  process.stderr.write(`mmzero pretrain: settings ${JSON.stringify(settings)}\n`);
  const started = performance.now(); // wall-clock-ok: display only
  const display = createProgressDisplay("pretrain");
  const result = await pretrainBase(
    settings,
    {
      onStep: progressReporter(display),
      checkpointEvery: flags.checkpointEvery ?? 0,
      onCheckpoint: async (stepsDone, model) => {
        const path = checkpointPathAt(out, stepsDone);
        const written = await writeCheckpointFile(path, model);
        display.log(`mmzero pretrain: wrote ${path} (weight hash ${written.weightHash})`);
      },
    },
    start?.model,
  ).finally(() => display.stop());
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
    .option(
      "--from <checkpoint>",
      "continue pretraining this checkpoint (of the preset's shape) instead of fresh weights; pass a new --seed so the corpus draws examples it has not seen",
    )
    .option(
      "--role-mix <p,c,s>",
      "optimiser steps per cycle for the Proposer, the Coder and the Solver (default: the preset's, 1,1,8)",
      roleMixOption,
    )
    .option(
      "--learning-rate <peak>",
      "peak learning rate of the schedule (default: the preset's)",
      positiveNumber,
    )
    .option(
      "--view-jitter <units>",
      `shift each Solver image's scene by up to this many canvas units per axis, a multiple of ${viewShiftQuantum} within (0, ${viewShiftMax}] (docs/learning.md E38; default: the writer's own view)`,
      viewJitterOption,
    )
    .option(
      "--patch-positions",
      "give the model a learned embedding per patch index, so a patch's place in the image does not move with the prompt's length (docs/learning.md E39; default: the preset's shape)",
    )
    .action(async (flags: PretrainFlags) => {
      await pretrainCommand(flags);
    });
}
