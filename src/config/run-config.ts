import { Schema } from "effect";
import type { PolicyRole } from "../events/index.ts";

/**
 * The run configuration: one validated object, stored as the run's first event. Presets give
 * sane sizes; a `--config` file and flags override fields. Constants of the algorithm that are not
 * sizes (reward terms, GRPO clip values) live in the reward and GRPO configurations named here.
 */

const PositiveInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1));
const NonNegativeInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0));
const Temperature = Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 5 }));
const PositiveFinite = Schema.Finite.check(Schema.isGreaterThan(0));

export const runPresetNames = ["smoke", "quick", "paper-small", "standard"] as const;
export const RunPresetName = Schema.Literals(runPresetNames);
export type RunPresetName = typeof RunPresetName.Type;

const PhaseSizes = Schema.Struct({
  /** GRPO steps per phase (release: 20). */
  steps: NonNegativeInt,
  /** Prompts per GRPO step (release Proposer: 18). */
  promptsPerStep: PositiveInt,
  /** Rollouts per prompt: the GRPO group size (release: Proposer 4, Coder 4, Solver 8). */
  rolloutsPerPrompt: PositiveInt,
  /** Sampling temperature (release: Proposer 1.0, Coder 0.7, Solver 1.0). */
  temperature: Temperature,
  /**
   * This role's learning rate, overriding `optimizer.learningRate` (the release trains every role at
   * one rate). Absent means the optimizer's, and a configuration without it records the same events
   * as before it existed. Why: a rate tuned for the Solver's self-made labels leaves the other roles
   * all but unchanged (docs/learning.md E36).
   */
  learningRate: Schema.optionalKey(PositiveFinite),
});

export const RunConfig = Schema.Struct({
  preset: RunPresetName,
  seed: Schema.String.check(Schema.isMinLength(1)),
  /** Self-evolution iterations (release: up to 12, reports 5). */
  iterations: PositiveInt,
  proposer: PhaseSizes,
  coder: Schema.Struct({
    ...PhaseSizes.fields,
    /** Proposals drawn from Proposer_i per kept Coder prompt, before the render-rate band filter. */
    candidateFactor: PositiveInt,
  }),
  solver: Schema.Struct({
    ...PhaseSizes.fields,
    /** Proposals drawn from Proposer_i to build the Solver's offline dataset. */
    datasetProposals: PositiveInt,
  }),
  judge: Schema.Struct({
    /** Judge-time sampling temperature for the frozen Coder and Solver. */
    coderTemperature: Temperature,
    solverTemperature: Temperature,
  }),
  model: Schema.Struct({
    /** Model preset name in src/gpu (test | small | medium | base). */
    preset: Schema.String,
    /** Base checkpoint file; empty means the committed base for the preset. */
    checkpoint: Schema.String,
  }),
  optimizer: Schema.Struct({
    learningRate: PositiveFinite,
    weightDecay: Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0)),
    gradientClipNorm: PositiveFinite,
    miniBatches: PositiveInt,
    /**
     * Threads computing each GRPO mini-batch's gradients (src/gpu/gradient-worker.ts). Absent means 1,
     * and a configuration without it records the same events as before it existed. 2 splits each
     * mini-batch with a worker thread: deterministic run to run, but not bit-identical to 1.
     */
    threads: Schema.optionalKey(Schema.Literals([1, 2])),
  }),
  /** Reward configuration preset or file (src/rewards). */
  rewards: Schema.String,
  /** GRPO preset (release | dr-grpo | dapo). */
  grpo: Schema.String,
  benchmark: Schema.Struct({
    path: Schema.String,
    /** Items of the public benchmark evaluated after each iteration (0 = all). */
    sliceSize: NonNegativeInt,
  }),
  render: Schema.Struct({
    /** The Solver's input size in pixels. */
    imageSize: PositiveInt,
    timeoutMs: PositiveInt,
    workers: PositiveInt,
  }),
});
export type RunConfig = typeof RunConfig.Type;

/** The optimizer settings of one role's phase: `optimizer`, at the role's own learning rate if set. */
export function phaseOptimizer(config: RunConfig, role: PolicyRole): RunConfig["optimizer"] {
  const learningRate = config[role].learningRate;
  return learningRate === undefined ? config.optimizer : { ...config.optimizer, learningRate };
}
