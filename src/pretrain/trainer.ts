import {
  AdamW,
  type ModelConfig,
  modelPreset,
  supervisedStep,
  VisionLanguageModel,
  validateModelConfig,
  weightHash,
} from "../gpu/index.ts";
import { worldTextCodec } from "../policy/index.ts";
import { type CorpusExample, type CorpusRole, corpusExample } from "../world/index.ts";
import { SceneImages } from "./images.ts";
import { roleBatchAt, roleCycle } from "./role-mix.ts";
import { jitteredView, trainingRow, writerView } from "./rows.ts";
import { learningRateAt } from "./schedule.ts";
import { assertSettings, type PretrainSettings } from "./settings.ts";

/**
 * The supervised pretraining loop that produces a base model from the world corpus. Everything is a
 * function of the settings: weights start from `VisionLanguageModel.create(config, seed)`, step s trains
 * on one role's batch drawn by index from the keyed corpus (no generator state carried between steps),
 * and the learning rate follows the schedule. On one backend the same settings give the same weight hash.
 */

export interface PretrainStep {
  /** 0-based step just taken. */
  readonly step: number;
  readonly steps: number;
  readonly role: CorpusRole;
  readonly loss: number;
  readonly learningRate: number;
  readonly gradNorm: number;
  readonly skipped: boolean;
}

export interface PretrainHooks {
  /** After every step (progress output). */
  readonly onStep?: (step: PretrainStep) => void;
  /** Steps between `onCheckpoint` calls (0 or absent: only the final model is returned). */
  readonly checkpointEvery?: number;
  readonly onCheckpoint?: (stepsDone: number, model: VisionLanguageModel) => Promise<void>;
}

export interface PretrainResult {
  /** The trained model; the caller disposes it. */
  readonly model: VisionLanguageModel;
  readonly weightHash: string;
  readonly config: ModelConfig;
  /** Steps whose gradient norm was not finite (weights left unchanged). */
  readonly skippedSteps: number;
  /** Examples trained on, by role. */
  readonly examples: Readonly<Record<CorpusRole, number>>;
}

/** The model shape pretraining builds: the preset over the world's vocabulary (and any context or image override). */
export function pretrainModelConfig(settings: PretrainSettings): ModelConfig {
  const preset = modelPreset(settings.modelPreset, worldTextCodec().tokenizer.size);
  return validateModelConfig({
    ...preset,
    ...(settings.contextLength === undefined ? {} : { contextLength: settings.contextLength }),
    ...(settings.imageSize === undefined ? {} : { imageSize: settings.imageSize }),
    ...(settings.patchPositions === true ? { patchPositions: true } : {}),
  });
}

/**
 * The corpus examples of step `step`: examples [b * batchSize, (b + 1) * batchSize) of the step's role,
 * b being the step's index among that role's batches. Nothing but the world corpus is ever trained on.
 */
export function pretrainExamples(
  settings: PretrainSettings,
  step: number,
): { role: CorpusRole; examples: CorpusExample[] } {
  const { role, roleBatch } = roleBatchAt(roleCycle(settings.roleMix), step);
  const first = roleBatch * settings.batchSize;
  const examples = Array.from({ length: settings.batchSize }, (_, offset) =>
    corpusExample(settings.seed, role, first + offset, settings.corpus),
  );
  return { role, examples };
}

/** The start of a continued pretraining does not match its settings (shape or weight hash). */
export class PretrainStartError extends Error {
  override readonly name = "PretrainStartError";
}

/** The starting model: fresh weights from the seed, or `start` checked against `settings.from`. */
async function startingModel(
  settings: PretrainSettings,
  config: ModelConfig,
  start: VisionLanguageModel | undefined,
): Promise<VisionLanguageModel> {
  if (settings.from === undefined) {
    if (start !== undefined) throw new PretrainStartError("a starting model was given without settings.from");
    return VisionLanguageModel.create(config, settings.seed);
  }
  if (start === undefined) throw new PretrainStartError(`settings.from ${settings.from} needs its model`);
  const shape = JSON.stringify(start.config);
  if (shape !== JSON.stringify(config))
    throw new PretrainStartError(
      `the starting model's shape ${shape} is not the preset's ${JSON.stringify(config)}`,
    );
  const hash = await weightHash(start);
  if (hash !== settings.from)
    throw new PretrainStartError(
      `the starting model's weight hash is ${hash}, settings.from says ${settings.from}`,
    );
  return start;
}

/**
 * Trains a model on the active tfjs backend (select it first): fresh, or continued from `start`
 * (whose hash is `settings.from`): pretraining owns `start` from here, disposing it on failure and
 * returning it trained as the result's model.
 */
export async function pretrainBase(
  settings: PretrainSettings,
  hooks: PretrainHooks = {},
  start?: VisionLanguageModel,
): Promise<PretrainResult> {
  assertSettings(settings);
  const config = pretrainModelConfig(settings);
  const model = await startingModel(settings, config, start).catch((error: unknown) => {
    start?.dispose();
    throw error;
  });
  const optimizer = new AdamW(model, {
    learningRate: settings.learningRate.peak,
    weightDecay: settings.weightDecay,
  });
  const schedule = { ...settings.learningRate, totalSteps: settings.steps };
  const images = new SceneImages(config.imageSize);
  const codec = worldTextCodec();
  const view =
    settings.viewJitter === undefined ? writerView : jitteredView(settings.seed, settings.viewJitter);
  const examples: Record<CorpusRole, number> = { proposer: 0, coder: 0, solver: 0 };
  let skippedSteps = 0;
  try {
    for (let step = 0; step < settings.steps; step++) {
      const { role, examples: batch } = pretrainExamples(settings, step);
      const rows = batch.map((example) => trainingRow(example, codec, images, view));
      optimizer.learningRate = learningRateAt(schedule, step);
      const stats = await supervisedStep(model, optimizer, rows, {
        gradientClipNorm: settings.gradientClipNorm,
      });
      examples[role] += rows.length;
      if (stats.skipped) skippedSteps += 1;
      hooks.onStep?.({
        step,
        steps: settings.steps,
        role,
        loss: stats.loss,
        learningRate: optimizer.learningRate,
        gradNorm: stats.gradNorm,
        skipped: stats.skipped,
      });
      const every = hooks.checkpointEvery ?? 0;
      if (every > 0 && (step + 1) % every === 0 && step + 1 < settings.steps)
        await hooks.onCheckpoint?.(step + 1, model);
    }
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    optimizer.dispose();
  }
  return { model, weightHash: await weightHash(model), config, skippedSteps, examples };
}
