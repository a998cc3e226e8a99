import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { type KeyPart, keyedRandom } from "../rng/index.ts";
import { type ModelConfig, patchCount, patchValues, validateModelConfig } from "./config.ts";

/**
 * The model's parameters: named tfjs variables. Names are stable and sorted the same way
 * everywhere (checkpoints, hashes, the optimizer), and each parameter's initial values depend only on
 * (seed, name, index), drawn in JavaScript from the project's keyed generator, so initialisation is
 * identical on every backend and independent of creation order.
 */

/** How one parameter starts: a normal draw with this standard deviation, or a constant. */
type Initialiser = { readonly normal: number } | { readonly constant: number };

interface ParameterSpec {
  readonly shape: readonly number[];
  readonly init: Initialiser;
}

/** Standard deviation of the embeddings and the output head (small: a near-uniform first policy). */
const embeddingStandardDeviation = 0.02;

/** Name of a block's parameter, e.g. `blocks.0.attention.query`. */
export function blockParameter(layer: number, part: string): string {
  return `blocks.${layer}.${part}`;
}

/** Every parameter of a configuration with its shape and initialiser. */
export function parameterSpecs(config: ModelConfig): ReadonlyMap<string, ParameterSpec> {
  const { width, depth, vocabularySize, contextLength } = config;
  const hidden = width * config.mlpRatio;
  // Residual projections shrink with depth so the stream's variance stays put (GPT-2's scheme).
  const residualScale = 1 / Math.sqrt(2 * depth);
  const specs = new Map<string, ParameterSpec>();
  const normal = (fanIn: number, scale = 1): Initialiser => ({ normal: scale / Math.sqrt(fanIn) });
  specs.set("token_embedding", {
    shape: [vocabularySize, width],
    init: { normal: embeddingStandardDeviation },
  });
  specs.set("position_embedding", {
    shape: [contextLength, width],
    init: { normal: embeddingStandardDeviation },
  });
  specs.set("patch_projection.weight", {
    shape: [patchValues(config), width],
    init: normal(patchValues(config)),
  });
  specs.set("patch_projection.bias", { shape: [width], init: { constant: 0 } });
  if (config.patchPositions === true)
    specs.set("patch_position_embedding", {
      shape: [patchCount(config), width],
      init: { normal: embeddingStandardDeviation },
    });
  for (let layer = 0; layer < depth; layer++) {
    const set = (part: string, spec: ParameterSpec) => specs.set(blockParameter(layer, part), spec);
    set("attention_norm.gain", { shape: [width], init: { constant: 1 } });
    set("attention_norm.bias", { shape: [width], init: { constant: 0 } });
    for (const projection of ["query", "key", "value"]) {
      set(`attention.${projection}`, { shape: [width, width], init: normal(width) });
    }
    set("attention.output", { shape: [width, width], init: normal(width, residualScale) });
    set("mlp_norm.gain", { shape: [width], init: { constant: 1 } });
    set("mlp_norm.bias", { shape: [width], init: { constant: 0 } });
    set("mlp.up", { shape: [width, hidden], init: normal(width) });
    set("mlp.down", { shape: [hidden, width], init: normal(hidden, residualScale) });
  }
  specs.set("final_norm.gain", { shape: [width], init: { constant: 1 } });
  specs.set("final_norm.bias", { shape: [width], init: { constant: 0 } });
  specs.set("output", { shape: [width, vocabularySize], init: { normal: embeddingStandardDeviation } });
  return specs;
}

/** Code-unit order: the same on every machine and locale. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function initialValues(seed: KeyPart, name: string, spec: ParameterSpec): Float32Array {
  const size = spec.shape.reduce((product, dimension) => product * dimension, 1);
  const values = new Float32Array(size);
  if ("constant" in spec.init) return values.fill(spec.init.constant);
  const random = keyedRandom(seed, "model-init", name);
  const standardDeviation = spec.init.normal;
  for (let index = 0; index < size; index++) values[index] = random.normalAt(index) * standardDeviation;
  return values;
}

/** A decoder-only vision-language transformer's weights (see forward.ts for the computation). */
export class VisionLanguageModel {
  private constructor(
    readonly config: ModelConfig,
    /** Parameters by name, in sorted name order. */
    readonly parameters: ReadonlyMap<string, tf.Variable>,
  ) {}

  /** A freshly initialised model: the same seed gives the same weights on every backend. */
  static create(config: ModelConfig, seed: KeyPart): VisionLanguageModel {
    const checked = validateModelConfig(config);
    const values = new Map<string, { shape: readonly number[]; values: Float32Array }>();
    for (const [name, spec] of parameterSpecs(checked)) {
      values.set(name, { shape: spec.shape, values: initialValues(seed, name, spec) });
    }
    return VisionLanguageModel.fromValues(checked, values);
  }

  /** A model from named values (a checkpoint); every parameter must be present with its shape. */
  static fromValues(
    config: ModelConfig,
    values: ReadonlyMap<string, { readonly shape: readonly number[]; readonly values: Float32Array }>,
  ): VisionLanguageModel {
    const checked = validateModelConfig(config);
    const specs = parameterSpecs(checked);
    assert.equal(values.size, specs.size, `expected ${specs.size} parameters, got ${values.size}`);
    const parameters = new Map<string, tf.Variable>();
    for (const name of [...specs.keys()].sort(compareNames)) {
      const spec = specs.get(name)!;
      const value = values.get(name);
      assert(value !== undefined, `parameter ${name} is missing`);
      assert.deepEqual([...value.shape], [...spec.shape], `parameter ${name} has the wrong shape`);
      const tensor = tf.tensor(value.values, [...value.shape], "float32");
      parameters.set(name, tf.variable(tensor));
      tensor.dispose(); // the variable holds its own reference to the data
    }
    return new VisionLanguageModel(checked, parameters);
  }

  /** The parameter under `name` (asserts it exists: names come from parameterSpecs). */
  parameter(name: string): tf.Variable {
    const variable = this.parameters.get(name);
    assert(variable !== undefined, `no parameter ${name}`);
    return variable;
  }

  /** A 2-D parameter (weight matrix or embedding table). */
  matrix(name: string): tf.Tensor2D {
    const variable = this.parameter(name);
    assert.equal(variable.rank, 2, `parameter ${name} is not a matrix`);
    return variable as tf.Tensor2D; // rank checked above; tfjs types variables by rank only statically
  }

  /** A 1-D parameter (norm gain or bias). */
  vector(name: string): tf.Tensor1D {
    const variable = this.parameter(name);
    assert.equal(variable.rank, 1, `parameter ${name} is not a vector`);
    return variable as tf.Tensor1D; // rank checked above
  }

  /** An independent copy (a role's start from the base, or the frozen GRPO reference). */
  clone(): VisionLanguageModel {
    const parameters = new Map<string, tf.Variable>();
    // Variables share data until one is assigned; tfjs never writes tensors in place.
    for (const [name, variable] of this.parameters) parameters.set(name, tf.variable(variable));
    return new VisionLanguageModel(this.config, parameters);
  }

  /** Number of trainable values. */
  get parameterCount(): number {
    let count = 0;
    for (const variable of this.parameters.values()) count += variable.size;
    return count;
  }

  dispose(): void {
    for (const variable of this.parameters.values()) variable.dispose();
  }
}
