/**
 * The reward configuration: every constant and switch of the rewards, measures and filters, as one
 * Effect Schema (the type is derived from it). `release` reproduces the published pipeline; other
 * presets are named deviations. Rescoring a recorded run under another configuration starts here.
 */
import { Result, Schema } from "effect";
import { InvalidConfigError } from "./errors.ts";
import { type DeepPartial, mergeDeep } from "./merge.ts";

const Probability = Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 1 }));
const NonNegative = Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0));
const PositiveInteger = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1));

/** A closed interval [minimum, maximum] inside [0, 1]. */
export const ProbabilityBand = Schema.Struct({ minimum: Probability, maximum: Probability }).check(
  Schema.makeFilter((band) =>
    band.minimum <= band.maximum ? undefined : `band minimum ${band.minimum} exceeds maximum ${band.maximum}`,
  ),
);
export type ProbabilityBand = typeof ProbabilityBand.Type;

/** `min`: d = min(c, 1 - c), peak 0.5 (the release). `r-zero`: d = 1 - 2|c - 1/2|, peak 1. */
export const DifficultyShape = Schema.Literals(["min", "r-zero"]);
export type DifficultyShape = typeof DifficultyShape.Type;

/**
 * How a render's solvability and difficulty combine. `additive`: min(s, cap) + d (the release).
 * `gated-on-easy`: min(s, cap) + d only when s >= easyGateThreshold, else min(s, cap): a hard question
 * earns nothing on an image the Solver cannot read (the paper's figure suggests this gate).
 */
export const SolvabilityCombination = Schema.Literals(["additive", "gated-on-easy"]);
export type SolvabilityCombination = typeof SolvabilityCombination.Type;

export const JudgingConfig = Schema.Struct({
  /** K: SVGs the frozen Coder writes per proposal when judging the Proposer. */
  codeSamplesPerProposal: PositiveInteger,
  /** M: Solver samples per question on one rendered image (Proposer and Coder rewards). */
  solverSamplesPerImage: PositiveInteger,
  difficultyShape: DifficultyShape,
  /**
   * The release judges the Coder phase with the previous Coder's weights instead of the previous
   * Solver's (likely a bug). Off: use Solver_{i-1}. Read by the orchestration, not by the reward math.
   */
  judgeCoderPhaseWithPreviousCoder: Schema.Boolean,
});
export type JudgingConfig = typeof JudgingConfig.Type;

export const DiversityConfig = Schema.Struct({
  /** Scales `n * excess` and bounds the adjustment to [-weight, +weight]. */
  weight: NonNegative,
  /** Clusters merge while their average-linkage distance (1 - BLEU) is below this. */
  distanceThreshold: NonNegative,
  captionWeight: NonNegative,
  easyQuestionWeight: NonNegative,
  hardQuestionWeight: NonNegative,
  /** Highest n-gram order of sentence BLEU (uniform weights 1/order). */
  bleuMaxOrder: PositiveInteger.check(Schema.isLessThanOrEqualTo(8)),
  /** Smoothing "method 1": epsilon added to a zero n-gram match count. */
  bleuSmoothingEpsilon: Schema.Finite.check(
    Schema.isBetween({ minimum: 0, maximum: 1, exclusiveMinimum: true }),
  ),
});
export type DiversityConfig = typeof DiversityConfig.Type;

export const ProposerConfig = Schema.Struct({
  /** The reward of an unparsable output. */
  formatFailureReward: Schema.Finite,
  /** Per-render solvability is capped here so that trivially easy questions stop paying. */
  solvabilityCap: Probability,
  combination: SolvabilityCombination,
  /** Used only by `gated-on-easy`. */
  easyGateThreshold: Probability,
  /** A proposal whose mean difficulty over its renders is below this loses `trivialHardPenalty`. */
  trivialHardThreshold: NonNegative,
  trivialHardPenalty: NonNegative,
  /** Penalty weight for an over-represented content type: weight * (f - threshold) / (1 - threshold). */
  contentTypeSpreadWeight: NonNegative,
  contentTypeShareThreshold: Schema.Finite.check(
    Schema.isBetween({ minimum: 0, maximum: 1, exclusiveMaximum: true }),
  ),
  diversity: DiversityConfig,
});
export type ProposerConfig = typeof ProposerConfig.Type;

/** What a Coder render's solvability is counted against (see `CoderConfig.solvabilityAnchor`). */
export const SolvabilityAnchor = Schema.Literals(["proposer", "consensus"]);
export type SolvabilityAnchor = typeof SolvabilityAnchor.Type;

export const CoderConfig = Schema.Struct({
  /** R = renderedBase + s + d for an SVG that renders. */
  renderedBase: Schema.Finite,
  renderFailurePenalty: NonNegative,
  noCodePenalty: NonNegative,
  notSvgLikePenalty: NonNegative,
  /** Every Coder reward is floored here. */
  rewardFloor: Schema.Finite,
  /**
   * Deviation (docs/learning.md E18), absent as in the release (d always counts): a rendered SVG's
   * difficulty d counts only when its solvability s reaches this value, so an image that confuses the
   * Solver on the easy question (often one that does not show the caption) is not paid for the
   * confusion it causes on the hard question. The Proposer's `gated-on-easy` applied to the Coder.
   */
  difficultyGate: Schema.optionalKey(Probability),
  /**
   * Deviation (docs/learning.md E40), absent = "proposer" as in the release: the answer a rendered SVG's
   * solvability s is counted against. `proposer`: the Proposer's easy answer (visual verification).
   * `consensus`: the Solver's majority easy answer pooled over the step's renders of the same proposal,
   * so an SVG is paid for showing what the other drawings of its caption show, not for agreeing with a
   * Proposer answer that is right a quarter of the time. Reads only the Solver's answers: no oracle.
   */
  solvabilityAnchor: Schema.optionalKey(SolvabilityAnchor),
});
export type CoderConfig = typeof CoderConfig.Type;

export const SolverConfig = Schema.Struct({
  accuracyWeight: NonNegative,
  formatWeight: NonNegative,
  /**
   * Deviation (docs/learning.md E13), absent = false as in the release: an answer counts as right only
   * when the response's own step-wise workings are arithmetically consistent and lead to it
   * (src/rewards/workings.ts), so a right answer reached by a slip earns no accuracy. Meant for the
   * `workings` trace style: a response without parsable workings never counts as right.
   */
  requireConsistentWorkings: Schema.optionalKey(Schema.Boolean),
});
export type SolverConfig = typeof SolverConfig.Type;

export const FilterConfig = Schema.Struct({
  /** Coder samples drawn per candidate Coder prompt to estimate its render rate. */
  coderRenderSamples: PositiveInteger,
  /** A Coder prompt is kept iff its render rate lies in this closed band. */
  coderRenderRateBand: ProbabilityBand,
  /** Solver samples per question when building the Solver dataset. */
  solverDatasetSamples: PositiveInteger,
  minimumEasyConsistency: Probability,
  hardConsistencyBand: ProbabilityBand,
  /** Drop items whose hard question has no valid majority answer (the label would be empty). */
  requireMajorityLabel: Schema.Boolean,
  /**
   * Deviation (docs/learning.md), absent = false as in the release: keep a hard item only if the
   * Proposer's hard answer agrees with the Solver's majority (cross-role agreement on the label).
   */
  requireProposerAgreement: Schema.optionalKey(Schema.Boolean),
  /**
   * Deviation (docs/learning.md), absent = 0 as in the release: easy items added to the Solver dataset
   * per kept hard item, to protect the easy skill. An easy item is a dataset image whose Solver majority on
   * the easy question agrees with the Proposer's easy answer (easy consistency at least
   * `minimumEasyConsistency`); its label is that agreed answer.
   */
  easyReplayRatio: Schema.optionalKey(NonNegative),
  /**
   * Deviation (docs/learning.md E30), absent as in the release (no check): keep a hard item only if at
   * least half of the Solver's dataset answers to it work through at least this many operations in
   * their step-wise workings (src/rewards/workings.ts), so a "hard" question that the Solver answers
   * with a single read is not trained on. Reads only the Solver's own responses: no scene, no grammar
   * of the question, no oracle.
   */
  minimumHardOperations: Schema.optionalKey(PositiveInteger),
});
export type FilterConfig = typeof FilterConfig.Type;

export const RewardConfig = Schema.Struct({
  judging: JudgingConfig,
  proposer: ProposerConfig,
  coder: CoderConfig,
  solver: SolverConfig,
  filters: FilterConfig,
});
export type RewardConfig = typeof RewardConfig.Type;

const releaseRewardConfig: RewardConfig = {
  judging: {
    codeSamplesPerProposal: 4,
    solverSamplesPerImage: 5,
    difficultyShape: "min",
    judgeCoderPhaseWithPreviousCoder: false,
  },
  proposer: {
    formatFailureReward: -1,
    solvabilityCap: 0.5,
    combination: "additive",
    easyGateThreshold: 0.5,
    trivialHardThreshold: 0.15,
    trivialHardPenalty: 0.3,
    contentTypeSpreadWeight: 0.15,
    contentTypeShareThreshold: 0.5,
    diversity: {
      weight: 0.5,
      distanceThreshold: 0.25,
      captionWeight: 0.45,
      easyQuestionWeight: 0.2,
      hardQuestionWeight: 0.35,
      bleuMaxOrder: 4,
      bleuSmoothingEpsilon: 0.1,
    },
  },
  coder: {
    renderedBase: 1,
    renderFailurePenalty: 0.1,
    noCodePenalty: 0.05,
    notSvgLikePenalty: 0.5,
    rewardFloor: -0.5,
  },
  solver: { accuracyWeight: 0.9, formatWeight: 0.1 },
  filters: {
    coderRenderSamples: 4,
    coderRenderRateBand: { minimum: 0.25, maximum: 0.75 },
    solverDatasetSamples: 10,
    minimumEasyConsistency: 0.5,
    hardConsistencyBand: { minimum: 0.25, maximum: 0.75 },
    requireMajorityLabel: true,
  },
};

export const rewardPresetNames = [
  "release",
  "release-coder-judge",
  "gated-on-easy",
  "r-zero-difficulty",
  "learning",
  "learning-agreement",
] as const;
export type RewardPresetName = (typeof rewardPresetNames)[number];

export type RewardConfigOverrides = DeepPartial<RewardConfig> & { readonly preset?: RewardPresetName };

const presetOverrides: Readonly<Record<RewardPresetName, DeepPartial<RewardConfig>>> = {
  release: {},
  // Reproduces the release's quirk of judging the Coder phase with Coder_{i-1}.
  "release-coder-judge": { judging: { judgeCoderPhaseWithPreviousCoder: true } },
  "gated-on-easy": { proposer: { combination: "gated-on-easy" } },
  // R-Zero's shape doubles d; the trivial-hard threshold doubles with it so it cuts at the same c.
  "r-zero-difficulty": { judging: { difficultyShape: "r-zero" }, proposer: { trivialHardThreshold: 0.3 } },
  // docs/learning.md: easy items replayed (half as many as hard ones) so the easy skill is not traded for
  // hard pseudo-labels; the Coder band reaches 1 so a base that renders 98% still has prompts to learn on
  // (its reward then varies through the Solver's solvability and difficulty, not the render).
  learning: {
    filters: { easyReplayRatio: 0.5, coderRenderRateBand: { minimum: 0.25, maximum: 1 } },
  },
  // The above plus cross-role agreement: a hard item is kept only if the Proposer's hard answer agrees
  // with the Solver's majority label.
  "learning-agreement": {
    filters: {
      easyReplayRatio: 0.5,
      coderRenderRateBand: { minimum: 0.25, maximum: 1 },
      requireProposerAgreement: true,
    },
  },
};

/** Validates an unknown value (a config file, a recorded run's config event) as a RewardConfig. */
export function decodeRewardConfig(input: unknown): RewardConfig {
  const decoded = Schema.decodeUnknownResult(RewardConfig, { errors: "all", onExcessProperty: "error" })(
    input,
  );
  if (Result.isFailure(decoded))
    throw new InvalidConfigError("reward", decoded.failure.message, { cause: decoded.failure });
  return decoded.success;
}

const rewardPresetNameSet: ReadonlySet<string> = new Set(rewardPresetNames);
function isRewardPresetName(value: string): value is RewardPresetName {
  return rewardPresetNameSet.has(value);
}

/**
 * A validated configuration from a preset name, or from overrides laid over a preset (`release` unless
 * `preset` says otherwise). Throws {@link InvalidConfigError} on an unknown preset or invalid field.
 */
export function resolveRewardConfig(
  input: RewardPresetName | RewardConfigOverrides = "release",
): RewardConfig {
  const { preset = "release", ...overrides } = typeof input === "string" ? { preset: input } : input;
  if (!isRewardPresetName(preset)) {
    throw new InvalidConfigError(
      "reward",
      `unknown preset "${preset}" (known: ${rewardPresetNames.join(", ")})`,
    );
  }
  const presetConfig = mergeDeep(releaseRewardConfig, presetOverrides[preset]);
  return decodeRewardConfig(mergeDeep(presetConfig, overrides));
}
