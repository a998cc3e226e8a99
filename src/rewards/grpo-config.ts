/**
 * GRPO hyper-parameters as an Effect Schema, with the presets the reference names: `release` (the
 * EasyR1 values the MM-Zero release uses), `dr-grpo` and `dapo`.
 */
import { Result, Schema } from "effect";
import { InvalidConfigError } from "./errors.ts";
import { type DeepPartial, mergeDeep } from "./merge.ts";

/**
 * `token-mean`: sum over every response token of the mini-batch / token count (EasyR1 "token").
 * `sequence-mean-token-mean`: mean over sequences of each sequence's token mean (EasyR1 "seq").
 * `sequence-sum-constant-normaliser`: mean over sequences of each sequence's token sum divided by a
 * constant (Dr. GRPO: no length bias).
 */
export const LossAggregation = Schema.Literals([
  "token-mean",
  "sequence-mean-token-mean",
  "sequence-sum-constant-normaliser",
]);
export type LossAggregation = typeof LossAggregation.Type;

const NonNegative = Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0));
const Positive = Schema.Finite.check(Schema.isGreaterThan(0));

export const GrpoConfig = Schema.Struct({
  advantage: Schema.Struct({
    /** Divide the centred rewards by (unbiased group std + epsilon); Dr. GRPO turns this off. */
    scaleByStandardDeviation: Schema.Boolean,
    epsilon: Positive,
  }),
  /** DAPO dynamic sampling: groups whose rewards are all identical are dropped from the update. */
  dynamicSampling: Schema.Boolean,
  clip: Schema.Struct({
    /** The ratio is clipped to [1 - low, 1 + high]. */
    low: Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 1, exclusiveMaximum: true })),
    high: NonNegative,
    /** Dual clip for negative advantages: the loss never exceeds -advantage * dual. */
    dual: Schema.Finite.check(Schema.isGreaterThanOrEqualTo(1)),
  }),
  kl: Schema.Struct({
    /** Weight of the k3 KL loss term (to the reference policy). 0 disables it. */
    coefficient: NonNegative,
    /** The per-token k3 estimate is clamped to [-clampMaximum, clampMaximum]. */
    clampMaximum: Positive,
  }),
  aggregation: Schema.Struct({
    mode: LossAggregation,
    /** The constant of `sequence-sum-constant-normaliser`: set it to the response token budget. */
    constantNormaliserTokens: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
  }),
});
export type GrpoConfig = typeof GrpoConfig.Type;

const releaseGrpoConfig: GrpoConfig = {
  advantage: { scaleByStandardDeviation: true, epsilon: 1e-6 },
  dynamicSampling: false,
  clip: { low: 0.2, high: 0.3, dual: 3 },
  kl: { coefficient: 0.01, clampMaximum: 10 },
  aggregation: { mode: "token-mean", constantNormaliserTokens: 512 },
};

export const grpoPresetNames = ["release", "dr-grpo", "dapo"] as const;
export type GrpoPresetName = (typeof grpoPresetNames)[number];

export type GrpoConfigOverrides = DeepPartial<GrpoConfig> & { readonly preset?: GrpoPresetName };

const presetOverrides: Readonly<Record<GrpoPresetName, DeepPartial<GrpoConfig>>> = {
  release: {},
  "dr-grpo": {
    advantage: { scaleByStandardDeviation: false },
    aggregation: { mode: "sequence-sum-constant-normaliser" },
  },
  // DAPO also removes the KL term (its paper, section "Removing KL Divergence").
  dapo: { clip: { high: 0.28 }, dynamicSampling: true, kl: { coefficient: 0 } },
};

/** Validates an unknown value as a GrpoConfig; throws {@link InvalidConfigError}. */
export function decodeGrpoConfig(input: unknown): GrpoConfig {
  const decoded = Schema.decodeUnknownResult(GrpoConfig, { errors: "all", onExcessProperty: "error" })(input);
  if (Result.isFailure(decoded))
    throw new InvalidConfigError("grpo", decoded.failure.message, { cause: decoded.failure });
  return decoded.success;
}

const grpoPresetNameSet: ReadonlySet<string> = new Set(grpoPresetNames);
function isGrpoPresetName(value: string): value is GrpoPresetName {
  return grpoPresetNameSet.has(value);
}

/** A validated GRPO configuration from a preset name or overrides laid over a preset (`release`). */
export function resolveGrpoConfig(input: GrpoPresetName | GrpoConfigOverrides = "release"): GrpoConfig {
  const { preset = "release", ...overrides } = typeof input === "string" ? { preset: input } : input;
  if (!isGrpoPresetName(preset)) {
    throw new InvalidConfigError("grpo", `unknown preset "${preset}" (known: ${grpoPresetNames.join(", ")})`);
  }
  return decodeGrpoConfig(mergeDeep(mergeDeep(releaseGrpoConfig, presetOverrides[preset]), overrides));
}
