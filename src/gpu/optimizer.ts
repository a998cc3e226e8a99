import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { readFloat32 } from "./layers.ts";
import type { VisionLanguageModel } from "./model.ts";

/**
 * AdamW (decoupled weight decay; tfjs's Adam has none) and global gradient-norm clipping, following
 * PyTorch's `torch.optim.AdamW` and `clip_grad_norm_` step for step, as veRL/EasyR1 use them. Weight
 * decay applies to every parameter that has a gradient, as in the release's `AdamW(model.parameters())`.
 *
 * Why on the CPU: the update is elementwise, and as tfjs ops it costs about 15 kernel dispatches per
 * parameter tensor, a third of a small model's training step on wasm. In JavaScript it is one pass over
 * the values in float64 (rounded to float32 when stored, like PyTorch's float32 state), the same on
 * every backend, and the moments never occupy device memory.
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

/** Gradients on the CPU by parameter name. */
export type Gradients = ReadonlyMap<string, Float32Array>;

/** The moments and step count: what a checkpoint needs to resume training bit-exactly. */
export interface AdamWState {
  readonly step: number;
  /** First and second moments by parameter name, as `first.<name>` and `second.<name>`. */
  readonly moments: ReadonlyMap<string, { readonly shape: readonly number[]; readonly values: Float32Array }>;
}

/**
 * The global L2 norm of the gradients (float64, in name order) and PyTorch's clip factor
 * min(1, maxNorm / (norm + 1e-6)).
 */
export function clipByGlobalNorm(gradients: Gradients, maxNorm: number): { norm: number; scale: number } {
  assert(maxNorm > 0, `gradient clip norm ${maxNorm} must be > 0`);
  let squares = 0;
  for (const name of [...gradients.keys()].sort()) {
    for (const value of gradients.get(name)!) squares += value * value;
  }
  const norm = Math.sqrt(squares);
  return { norm, scale: Math.min(1, maxNorm / (norm + clipNormEpsilon)) };
}

/** Reads tensors to the CPU and frees them. */
export async function readGradients(gradients: tf.NamedTensorMap): Promise<Map<string, Float32Array>> {
  const values = new Map<string, Float32Array>();
  for (const [name, gradient] of Object.entries(gradients)) {
    values.set(name, await readFloat32(gradient));
    gradient.dispose();
  }
  return values;
}

export class AdamW {
  /** Mutable so a schedule (warm-up, decay) can set it between steps. */
  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  private stepCount = 0;
  private readonly first = new Map<string, Float32Array>();
  private readonly second = new Map<string, Float32Array>();

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
    for (const [name, variable] of model.parameters) {
      this.first.set(name, new Float32Array(variable.size));
      this.second.set(name, new Float32Array(variable.size));
    }
  }

  /** Updates taken so far. */
  get step(): number {
    return this.stepCount;
  }

  /** One AdamW step over every parameter that has a gradient, each gradient multiplied by `scale` first. */
  async apply(gradients: Gradients, scale = 1): Promise<void> {
    this.stepCount += 1;
    for (const [name, gradient] of gradients) {
      const variable = this.model.parameter(name);
      const values = await readFloat32(variable);
      assert.equal(values.length, gradient.length, `parameter ${name} and its gradient differ in size`);
      const updated = this.update(values, gradient, scale, this.first.get(name)!, this.second.get(name)!);
      tf.tidy(() => variable.assign(tf.tensor(updated, variable.shape, "float32")));
    }
  }

  /** torch.optim.AdamW's single-tensor update; moments change in place, new values are returned. */
  private update(
    values: Float32Array,
    gradient: Float32Array,
    scale: number,
    first: Float32Array,
    second: Float32Array,
  ) {
    const { learningRate, beta1, beta2, epsilon } = this;
    const decay = 1 - learningRate * this.weightDecay;
    const stepSize = learningRate / (1 - beta1 ** this.stepCount);
    const secondCorrectionRoot = Math.sqrt(1 - beta2 ** this.stepCount);
    const updated = new Float32Array(values.length);
    for (let index = 0; index < values.length; index++) {
      const g = gradient[index]! * scale;
      first[index] = beta1 * first[index]! + (1 - beta1) * g;
      second[index] = beta2 * second[index]! + (1 - beta2) * g * g;
      const denominator = Math.sqrt(second[index]!) / secondCorrectionRoot + epsilon;
      updated[index] = values[index]! * decay - (stepSize * first[index]!) / denominator;
    }
    return updated;
  }

  /** The step count and a copy of the moments (for checkpoints). */
  async state(): Promise<AdamWState> {
    const moments = new Map<string, { shape: readonly number[]; values: Float32Array }>();
    for (const [prefix, table] of this.tables()) {
      for (const [name, values] of table) {
        moments.set(`${prefix}.${name}`, { shape: this.model.parameter(name).shape, values: values.slice() });
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
    for (const [prefix, table] of this.tables()) {
      for (const [name, values] of table) {
        const saved = state.moments.get(`${prefix}.${name}`);
        assert(saved !== undefined, `optimizer state lacks ${prefix}.${name}`);
        assert.deepEqual(
          [...saved.shape],
          this.model.parameter(name).shape,
          `optimizer state ${prefix}.${name} has the wrong shape`,
        );
        values.set(saved.values);
      }
    }
    this.stepCount = state.step;
  }

  /** Nothing on the device to free; kept so callers can treat it like the models it serves. */
  dispose(): void {
    this.first.clear();
    this.second.clear();
  }

  private tables() {
    return [
      ["first", this.first],
      ["second", this.second],
    ] as const;
  }
}
