import { Schema } from "effect";

/**
 * The model's shape. One architecture serves all three roles: text prompt, optional image patches,
 * response (question before image, so patches attend to the question under the causal mask).
 */

const PositiveInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1));

export const ModelConfig = Schema.Struct({
  /** Token ids the embedding and output head cover (the tokenizer's `size`). */
  vocabularySize: PositiveInt,
  /** Residual stream width. */
  width: PositiveInt,
  /** Transformer blocks. */
  depth: PositiveInt,
  /** Attention heads; must divide width. */
  heads: PositiveInt,
  /** Most slots one sequence may use: prompt + image patches + response. */
  contextLength: PositiveInt,
  /** Image side in pixels (square RGB); must be a multiple of patchSize. */
  imageSize: PositiveInt,
  /** Patch side in pixels; each patch becomes one slot. */
  patchSize: PositiveInt,
  /** Hidden width of the feed-forward layer as a multiple of width. */
  mlpRatio: PositiveInt,
  /**
   * A learned embedding per patch index added to each patch (parameter `patch_position_embedding`).
   * Without it a patch's only position is its slot's, which moves with the prompt's length (prompts are
   * left-padded), so "the second bar" or "row 1 column 2" lands on a different code for every question
   * length (docs/learning.md E39). Absent in the checkpoints made before the option: false.
   */
  patchPositions: Schema.optionalKey(Schema.Boolean),
});
export type ModelConfig = typeof ModelConfig.Type;

export const modelPresetNames = ["test", "small", "medium", "base"] as const;
export type ModelPresetName = (typeof modelPresetNames)[number];

/** A model shape that cannot be built (heads not dividing width, image not tiling into patches). */
export class InvalidModelConfigError extends Error {
  override readonly name = "InvalidModelConfigError";
  constructor(readonly reason: string) {
    super(`invalid model configuration: ${reason}; start from a preset (${modelPresetNames.join(", ")})`);
  }
}

type Shape = Omit<ModelConfig, "vocabularySize">;

/**
 * Why these shapes: `small` is the shape that learned here within minutes on one core
 * (shared/notes/learning-feasibility.md: 32px, 8x8 patches, width 64, depth 2, 2 heads);
 * `test` trains in seconds for unit tests (4 large patches); `medium` (about 2.7x `small`'s CPU per
 * pretraining step here) tests whether capacity limits what self-evolution can add (docs/learning.md E16); `base` is the
 * size for longer runs or a native backend.
 */
const presetShapes: Record<ModelPresetName, Shape> = {
  test: { width: 32, depth: 1, heads: 2, contextLength: 64, imageSize: 32, patchSize: 16, mlpRatio: 2 },
  small: { width: 64, depth: 2, heads: 2, contextLength: 128, imageSize: 32, patchSize: 8, mlpRatio: 4 },
  medium: { width: 96, depth: 3, heads: 3, contextLength: 128, imageSize: 32, patchSize: 8, mlpRatio: 4 },
  base: { width: 128, depth: 4, heads: 4, contextLength: 256, imageSize: 32, patchSize: 8, mlpRatio: 4 },
};

/** The named preset's shape for a vocabulary. */
export function modelPreset(name: ModelPresetName, vocabularySize: number): ModelConfig {
  return validateModelConfig({ ...presetShapes[name], vocabularySize });
}

/**
 * The preset whose size a model has (width, depth, heads, feed-forward ratio and patch side; the
 * image side and the context are the pretraining's choice: `base-test.ckpt` has a longer context
 * than `test`), or undefined when it has none's.
 */
export function modelPresetOfShape(config: ModelConfig): ModelPresetName | undefined {
  return modelPresetNames.find((name) => {
    const shape = presetShapes[name];
    return (
      shape.width === config.width &&
      shape.depth === config.depth &&
      shape.heads === config.heads &&
      shape.mlpRatio === config.mlpRatio &&
      shape.patchSize === config.patchSize
    );
  });
}

/** Decodes and checks a configuration (from a checkpoint or a run config); throws InvalidModelConfigError. */
export function validateModelConfig(value: unknown): ModelConfig {
  let config: ModelConfig;
  try {
    config = Schema.decodeUnknownSync(ModelConfig)(value);
  } catch (error) {
    throw new InvalidModelConfigError(error instanceof Error ? error.message : String(error));
  }
  if (config.width % config.heads !== 0) {
    throw new InvalidModelConfigError(`${config.heads} heads do not divide width ${config.width}`);
  }
  if (config.imageSize % config.patchSize !== 0) {
    throw new InvalidModelConfigError(`patch ${config.patchSize} does not tile image ${config.imageSize}`);
  }
  if (patchCount(config) >= config.contextLength) {
    throw new InvalidModelConfigError(
      `${patchCount(config)} patches leave no room in context ${config.contextLength}`,
    );
  }
  return config;
}

/** Image slots per sequence. */
export function patchCount(config: ModelConfig): number {
  return (config.imageSize / config.patchSize) ** 2;
}

/** Values per flattened patch (RGB). */
export function patchValues(config: ModelConfig): number {
  return config.patchSize * config.patchSize * 3;
}
