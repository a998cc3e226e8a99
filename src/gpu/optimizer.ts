import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { VisionLanguageModel } from "./model.ts";

/**
 * AdamW (decoupled weight decay; tfjs's Adam has none) and global gradient-norm clipping, following
 * PyTorch's `torch.optim.AdamW` and `clip_grad_norm_` step for step, as veRL/EasyR1 use them. Weight
 * decay applies to every parameter, as in the release's `AdamW(model.parameters())`.
 */

export interface AdamWOptions {
  readonly learningRate: number;
  /** Default 0.9. */
  readonly beta1?: number;
  /** Default 0.999. */
  readonly beta2?: number;
  /** Default 1e-8. */
  readonly epsilon?: number;
  /** Decoupled decay per step, multiplied by the learning rate. Default 0.01 (the release). */
  readonly weightDecay?: number;
}

/** PyTorch's clip_grad_norm_ adds this to the norm before dividing. */
const clipNormEpsilon = 1e-6;

/** The moments and step count: what a checkpoint needs to resume training bit-exactly. */
export interface AdamWState {
  readonly step: number;
  /** First and second moments by parameter name, as `first.<name>` and `second.<name>`. */
  readonly moments: ReadonlyMap<string, { readonly shape: readonly number[]; readonly values: Float32Array }>;
}

/** A type alias, not an interface, so tf.tidy accepts it as a tensor container. */
export type ClippedGradients = {
  /** The gradients scaled so their global norm is at most the limit, by parameter name. */
  readonly gradients: tf.NamedTensorMap;
  /** The global norm before clipping. */
  readonly norm: tf.Scalar;
};

/** Scales gradients by min(1, maxNorm / (norm + 1e-6)) (PyTorch's clip_grad_norm_). */
export function clipByGlobalNorm(gradients: tf.NamedTensorMap, maxNorm: number): ClippedGradients {
  assert(maxNorm > 0, `gradient clip norm ${maxNorm} must be > 0`);
  const squares = Object.values(gradients).map((gradient) => tf.sum<tf.Scalar>(tf.square(gradient)));
  const norm = tf.sqrt(tf.addN<tf.Scalar>(squares));
  const coefficient = tf.minimum(tf.div(maxNorm, tf.add(norm, clipNormEpsilon)), 1);
  const clipped: tf.NamedTensorMap = {};
  for (const [name, gradient] of Object.entries(gradients)) clipped[name] = tf.mul(gradient, coefficient);
  return { gradients: clipped, norm };
}

export class AdamW {
  /** Mutable so a schedule (warm-up, decay) can set it between steps. */
  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  private stepCount = 0;
  private readonly first = new Map<string, tf.Variable>();
  private readonly second = new Map<string, tf.Variable>();

  constructor(
    private readonly model: VisionLanguageModel,
    options: AdamWOptions,
  ) {
    this.learningRate = options.learningRate;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0.01;
    assert(this.learningRate > 0, `learning rate ${this.learningRate} must be > 0`);
    // Variables outlive tidy; the zero tensors they start from do not.
    tf.tidy(() => {
      for (const [name, variable] of model.parameters) {
        this.first.set(name, tf.variable(tf.zerosLike(variable), false));
        this.second.set(name, tf.variable(tf.zerosLike(variable), false));
      }
    });
  }

  /** Updates taken so far. */
  get step(): number {
    return this.stepCount;
  }

  /** One AdamW step over every parameter that has a gradient. */
  apply(gradients: tf.NamedTensorMap): void {
    this.stepCount += 1;
    const { learningRate, beta1, beta2 } = this;
    const firstCorrection = 1 - beta1 ** this.stepCount;
    const secondCorrectionRoot = Math.sqrt(1 - beta2 ** this.stepCount);
    tf.tidy(() => {
      for (const [name, gradient] of Object.entries(gradients)) {
        const parameter = this.model.parameter(name);
        const first = this.first.get(name)!;
        const second = this.second.get(name)!;
        first.assign(tf.add(tf.mul(first, beta1), tf.mul(gradient, 1 - beta1)));
        second.assign(tf.add(tf.mul(second, beta2), tf.mul(tf.square(gradient), 1 - beta2)));
        const decayed = tf.mul(parameter, 1 - learningRate * this.weightDecay);
        const denominator = tf.add(tf.div(tf.sqrt(second), secondCorrectionRoot), this.epsilon);
        parameter.assign(tf.sub(decayed, tf.mul(tf.div(first, denominator), learningRate / firstCorrection)));
      }
    });
  }

  /** The step count and moments, read to the CPU (for checkpoints). */
  async state(): Promise<AdamWState> {
    const moments = new Map<string, { shape: readonly number[]; values: Float32Array }>();
    for (const [prefix, table] of [
      ["first", this.first],
      ["second", this.second],
    ] as const) {
      for (const [name, variable] of table) {
        const values = await variable.data();
        assert(values instanceof Float32Array, "moments are float32");
        moments.set(`${prefix}.${name}`, { shape: variable.shape, values });
      }
    }
    return { step: this.stepCount, moments };
  }

  /** Restores a saved state (same model shape). */
  restore(state: AdamWState): void {
    assert.equal(
      state.moments.size,
      this.first.size + this.second.size,
      "optimizer state does not match the model",
    );
    for (const [prefix, table] of [
      ["first", this.first],
      ["second", this.second],
    ] as const) {
      for (const [name, variable] of table) {
        const saved = state.moments.get(`${prefix}.${name}`);
        assert(saved !== undefined, `optimizer state lacks ${prefix}.${name}`);
        assert.deepEqual(
          [...saved.shape],
          variable.shape,
          `optimizer state ${prefix}.${name} has the wrong shape`,
        );
        tf.tidy(() => variable.assign(tf.tensor(saved.values, variable.shape, "float32")));
      }
    }
    this.stepCount = state.step;
  }

  dispose(): void {
    for (const variable of [...this.first.values(), ...this.second.values()]) variable.dispose();
  }
}
