import assert from "node:assert/strict";
import { type ModelPresetName, modelPresetNames } from "../gpu/index.ts";
import {
  type CorpusOptions,
  defaultCorpusOptions,
  isViewJitter,
  stepwiseComposeCorpusOptions,
  stepwiseCorpusOptions,
  stepwiseLongCorpusOptions,
  stepwisePathsCorpusOptions,
  viewJitterRule,
} from "../world/index.ts";
import type { RoleMix } from "./role-mix.ts";
import { assertSchedule, type LearningRateSchedule } from "./schedule.ts";

/** Everything that determines a base checkpoint (with the backend): same settings, same weight hash. */
export interface PretrainSettings {
  readonly modelPreset: ModelPresetName;
  /** Seeds the initial weights and the corpus draws. */
  readonly seed: string;
  readonly steps: number;
  /** Examples per optimiser step (each step is one role's batch). */
  readonly batchSize: number;
  /** Peak, warm-up and floor; the schedule's length is `steps`. */
  readonly learningRate: Omit<LearningRateSchedule, "totalSteps">;
  /** AdamW's decoupled weight decay. */
  readonly weightDecay: number;
  readonly gradientClipNorm: number;
  readonly roleMix: RoleMix;
  /** The corpus distribution (docs/world.md §7); the world's defaults unless recorded otherwise. */
  readonly corpus: CorpusOptions;
  /** Overrides the model preset's context (slots), when the preset's is too short for the world. */
  readonly contextLength?: number;
  /**
   * Overrides the model preset's image side in px (a multiple of its patch size): a larger image gives
   * perception more pixels per read (docs/learning.md E15). A loop on such a base sets the same
   * `render.imageSize`.
   */
  readonly imageSize?: number;
  /**
   * Continued pretraining: the weight hash of the checkpoint training starts from instead of fresh
   * weights (`mmzero pretrain --from`). The seed then only draws the corpus, so a continuation under a
   * new seed sees examples the start never saw.
   */
  readonly from?: string;
  /**
   * Solver images seen through a camera shifted by up to this many canvas units per axis (a multiple
   * of 1/16 within [0, 1]), drawn per example from the seed: a base that reads a scene from any of its
   * views, made to test whether a vote over views outvotes misreads tied to one view (docs/learning.md
   * E38: barely, and not once the schedule anneals). Absent: every image is the writer's own view.
   */
  readonly viewJitter?: number;
  /**
   * Builds the model with a learned embedding per patch index (`ModelConfig.patchPositions`), so a
   * patch's place in the image no longer moves with the prompt's length (docs/learning.md E39).
   * Absent: the preset's shape, as in every base committed before E39.
   */
  readonly patchPositions?: boolean;
}

/** The seed of every committed base. */
export const pretrainSeedDefault = "mmzero-base-v1";

/**
 * Why this mix: the Solver needs by far the most learning (perception from pixels) and its batches are
 * the cheapest (~30 slots), so it gets 8 steps in 10. The Proposer's six-field format and the Coder's
 * SVG dialect are text-to-text and were learned within ~500 batches each in calibration (Proposer 98%
 * format-valid, Coder 95% rendering); a Coder batch costs about 4x a Solver batch on wasm (~95 slots).
 * Measured in models/README.md.
 */
const roleMixSmall: RoleMix = { proposer: 1, coder: 1, solver: 8 };

const learningRateDefault = { peak: 1e-3, warmupSteps: 150, floorRatio: 0.1 } as const;

const smallSettings: PretrainSettings = {
  modelPreset: "small",
  seed: pretrainSeedDefault,
  steps: 6000,
  batchSize: 64,
  learningRate: learningRateDefault,
  weightDecay: 0.01,
  gradientClipNorm: 1,
  roleMix: roleMixSmall,
  corpus: defaultCorpusOptions,
};

const stepwise48MediumSettings: PretrainSettings = {
  ...smallSettings,
  modelPreset: "medium",
  steps: 4000,
  corpus: stepwiseLongCorpusOptions,
  imageSize: 48,
};

export const pretrainPresetNames = [
  "test",
  "small",
  "base",
  "stepwise",
  "stepwise-long",
  "stepwise-paths",
  "stepwise-compose",
  "stepwise-48",
  "stepwise-48-medium",
  "stepwise-48-medium-compose",
  "stepwise-48-medium-placed",
] as const;
export type PretrainPresetName = (typeof pretrainPresetNames)[number];

/**
 * Defaults per pretraining preset: `mmzero pretrain --preset <name>` with no other flags produces the
 * committed `models/base-<name>.ckpt` on the same backend. `test` trains in under a minute for the
 * loop's integration tests; `small` is the first committed base (about 10-15 CPU minutes here); `base`
 * is the next size up and has no committed checkpoint; `stepwise` is the `small` model pretrained on the
 * step-wise corpus, the base self-evolution can improve (docs/learning.md).
 */
export const pretrainPresets: Readonly<Record<PretrainPresetName, PretrainSettings>> = {
  test: {
    modelPreset: "test",
    seed: pretrainSeedDefault,
    // Why 800: enough for most sampled proposals to parse and most Coder outputs to render (measured:
    // 80% and 67%), so the loop's integration tests exercise every phase; about 25 s on one core.
    steps: 800,
    batchSize: 32,
    learningRate: { peak: 3e-3, warmupSteps: 20, floorRatio: 0.1 },
    weightDecay: 0.01,
    gradientClipNorm: 1,
    // Why: a test base is only trained briefly; an even mix gives every role some of its format.
    roleMix: { proposer: 2, coder: 2, solver: 4 },
    corpus: defaultCorpusOptions,
    // Why: the `test` model preset's 64 slots cannot hold a Coder example (up to 1 + 43 prompt + 53
    // response tokens) nor the loop's Coder generation (1 + 56 + 72); 128 matches `small`.
    contextLength: 128,
  },
  small: smallSettings,
  base: {
    modelPreset: "base",
    seed: pretrainSeedDefault,
    steps: 8000,
    batchSize: 64,
    learningRate: { peak: 5e-4, warmupSteps: 300, floorRatio: 0.1 },
    weightDecay: 0.01,
    gradientClipNorm: 1,
    roleMix: roleMixSmall,
    corpus: defaultCorpusOptions,
  },
  // The step-wise bases (docs/learning.md): the `small` settings on the step-wise corpora.
  stepwise: { ...smallSettings, steps: 8000, corpus: stepwiseCorpusOptions },
  "stepwise-long": { ...smallSettings, corpus: stepwiseLongCorpusOptions },
  // `stepwise-long` with the workings in varied valid orders: only the order differs (issue 13).
  "stepwise-paths": { ...smallSettings, corpus: stepwisePathsCorpusOptions },
  // `stepwise-long` whose Proposer always puts a composition in the hard slot (issue 13, E10).
  "stepwise-compose": { ...smallSettings, corpus: stepwiseComposeCorpusOptions },
  // `stepwise-long` on 48 px images (docs/learning.md E15): a run on it sets `render.imageSize: 48`.
  "stepwise-48": { ...smallSettings, corpus: stepwiseLongCorpusOptions, imageSize: 48 },
  // `stepwise-48` on the `medium` model (docs/learning.md E16): does a larger Solver leave room for the
  // vote? 4,000 steps, where the small 48 px base's vote stood highest (E15), to fit the CPU budget here.
  "stepwise-48-medium": stepwise48MediumSettings,
  // `stepwise-48-medium` whose Proposer always puts a composition in the hard slot (docs/learning.md
  // E33): the loop's hard questions become compositions by the Proposer's own training, not a filter.
  // The Solver's examples are `stepwise-48-medium`'s exactly.
  "stepwise-48-medium-compose": { ...stepwise48MediumSettings, corpus: stepwiseComposeCorpusOptions },
  // `stepwise-48-medium` with a learned embedding per patch index (docs/learning.md E39): at equal
  // steps it reads single values far better (held-out easy +8.6 points), and its hard answers and
  // its vote are no better.
  "stepwise-48-medium-placed": { ...stepwise48MediumSettings, patchPositions: true },
};

export function isModelPresetName(value: string): value is ModelPresetName {
  return (modelPresetNames as readonly string[]).includes(value);
}

export function isPretrainPresetName(value: string): value is PretrainPresetName {
  return (pretrainPresetNames as readonly string[]).includes(value);
}

export function assertSettings(settings: PretrainSettings): void {
  assert(
    Number.isInteger(settings.steps) && settings.steps >= 1,
    `steps ${settings.steps} must be a positive integer`,
  );
  assert(
    Number.isInteger(settings.batchSize) && settings.batchSize >= 1,
    `batch size ${settings.batchSize} must be a positive integer`,
  );
  assert(settings.gradientClipNorm > 0, "the gradient clip norm must be > 0");
  assert(settings.weightDecay >= 0, "weight decay must be >= 0");
  assertSchedule({ ...settings.learningRate, totalSteps: settings.steps });
  assert(
    settings.viewJitter === undefined || isViewJitter(settings.viewJitter),
    `view jitter ${settings.viewJitter} must be ${viewJitterRule}`,
  );
}
