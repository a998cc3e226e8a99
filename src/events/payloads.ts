import { Schema } from "effect";
import { EventId, NonNegativeInt, PolicyRole, PositiveInt, Sha256Hex } from "./envelope.ts";

/**
 * Payload schemas of the MM-Zero loop's events: what each sample, score and update carries.
 * Field names follow mm-zero-algorithm.md; every number that logic reads is stored, so a run can be
 * folded, verified and rescored from its log alone.
 */

const Finite = Schema.Finite;
const Probability = Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 1 }));
export const Phase = PolicyRole;
const Iteration = PositiveInt;
const Step = NonNegativeInt;
const FiniteRecord = Schema.Record(Schema.String, Finite);

export const BackendInfo = Schema.Struct({
  name: Schema.String,
  version: Schema.String,
  threads: PositiveInt,
  simd: Schema.Boolean,
});
/** The run's record of the tfjs backend it ran on. */
export type BackendInfo = typeof BackendInfo.Type;

/** A JSON object (the resolved configuration): validated by its own schema where it is used. */
const JsonObject = Schema.Record(Schema.String, Schema.Json);

export const RunStartedV2 = Schema.Struct({
  config: JsonObject,
  seed: Schema.String,
  rngAlgorithm: Schema.Literal("threefry2x32-20"),
  backend: BackendInfo,
  engineVersion: Schema.String,
});

/** v1 stored the seed as a number and did not name the generator (it was always Threefry-2x32-20). */
export const RunStartedV1 = Schema.Struct({
  config: JsonObject,
  seed: Schema.Int,
  backend: BackendInfo,
  engineVersion: Schema.String,
});

export const IterationStarted = Schema.Struct({ iteration: Iteration });

/**
 * Chain anchor: the hash-chain head of every event before this one. Markers carry it so that an
 * edit anywhere earlier (even with a recomputed record checksum) breaks a recorded value, which
 * `mmzero replay --mode fold` checks.
 */
const logChainHead = Sha256Hex;

export const IterationCompleted = Schema.Struct({ iteration: Iteration, logChainHead });

export const PhaseStarted = Schema.Struct({
  iteration: Iteration,
  phase: Phase,
  steps: NonNegativeInt,
  /** Weight hash of every role's policy as the phase starts (the trained one and the frozen judges). */
  policies: Schema.Struct({ proposer: Sha256Hex, coder: Sha256Hex, solver: Sha256Hex }),
});

export const PhaseCompleted = Schema.Struct({
  iteration: Iteration,
  phase: Phase,
  weightHash: Sha256Hex,
  logChainHead,
});

/** Marks a GRPO step done; `updated` is false when every group was dropped (nothing to learn from). */
export const StepCompleted = Schema.Struct({
  iteration: Iteration,
  phase: Phase,
  step: Step,
  updated: Schema.Boolean,
  weightHash: Sha256Hex,
});

/** Why a sample exists: a GRPO rollout, a prompt for the next role, a dataset item, a judgement. */
export const SamplePurpose = Schema.Literals(["rollout", "prompt", "dataset", "judge"]);
export type SamplePurpose = typeof SamplePurpose.Type;

/** What every policy sample records: its logical key, its text and the rollout-time token log-probs. */
const sampleFields = {
  iteration: Iteration,
  phase: Phase,
  step: Step,
  sampleKey: Schema.String,
  purpose: SamplePurpose,
  text: Schema.String,
  tokens: Schema.Array(NonNegativeInt),
  logProbs: Schema.Array(Finite),
} as const;

export const ParsedProposal = Schema.Struct({
  contentType: Schema.String,
  caption: Schema.String,
  easyQuestion: Schema.String,
  easyAnswer: Schema.String,
  hardQuestion: Schema.String,
  hardAnswer: Schema.String,
});

export const ProposalSampled = Schema.Struct({
  ...sampleFields,
  topic: Schema.String,
  /** null when the output is not format-valid (its Proposer reward is -1). */
  proposal: Schema.NullOr(ParsedProposal),
});

export const CodeSampled = Schema.Struct({ ...sampleFields, proposalId: EventId });

export const ImageRendered = Schema.Struct({
  codeId: EventId,
  width: PositiveInt,
  height: PositiveInt,
  pixelHash: Sha256Hex,
  png: Sha256Hex,
});

export const RenderOutcomeKind = Schema.Literals([
  "NoCode",
  "NotSvgLike",
  "XmlError",
  "Forbidden",
  "TooLarge",
  "BadGeometry",
  "Timeout",
  "RendererCrash",
]);

export const RenderFailed = Schema.Struct({
  codeId: EventId,
  outcome: RenderOutcomeKind,
  message: Schema.String,
  /** The release's Coder reward flags for this failure (src/render coderFailureTier). */
  noCodeExtracted: Schema.Boolean,
  notSvgLike: Schema.Boolean,
});

export const QuestionKind = Schema.Literals(["easy", "hard"]);

export const AnswerSample = Schema.Struct({
  text: Schema.String,
  tokens: Schema.Array(NonNegativeInt),
  logProbs: Schema.Array(Finite),
  /** The extracted final answer ("None" when absent) and whether the response has the required format. */
  answer: Schema.String,
  formatOk: Schema.Boolean,
});

export const AnswersSampled = Schema.Struct({
  iteration: Iteration,
  phase: Phase,
  step: Step,
  sampleKey: Schema.String,
  purpose: SamplePurpose,
  imageId: EventId,
  question: QuestionKind,
  questionText: Schema.String,
  samples: Schema.Array(AnswerSample),
});

/** What every reward records, whichever role it scores. */
const rewardFields = {
  iteration: Iteration,
  step: Step,
  /** The sample event scored: a ProposalSampled, a CodeSampled, or a Solver AnswersSampled. */
  sampleId: EventId,
  total: Finite,
  /** The terms of the role's reward (src/decisions/reward-components.ts), and nothing else. */
  components: FiniteRecord,
  /** Hash of the reward configuration used, so rescoring knows what it is comparing against. */
  configHash: Sha256Hex,
} as const;

/**
 * v2: a Proposer or Coder reward scores its sample event's one output; a Solver reward scores one
 * response of an answer set, named by `sampleIndex` (its index in the AnswersSampled's `samples`).
 * What can be derived from the sample graph is not stored (v1's Proposer `renderedCount`: the
 * proposal's judge codes that rendered).
 */
export const RewardScoredV2 = Schema.Union([
  Schema.Struct({ role: Schema.Literals(["proposer", "coder"]), ...rewardFields }),
  Schema.Struct({ role: Schema.Literal("solver"), sampleIndex: NonNegativeInt, ...rewardFields }),
]);

/**
 * v1 stored bookkeeping among the components: the Solver response's index as `sample` (always
 * present: the loop wrote it from its first version) and the Proposer's `renderedCount`.
 */
export const RewardScoredV1 = Schema.Union([
  Schema.Struct({ role: Schema.Literals(["proposer", "coder"]), ...rewardFields }),
  Schema.Struct({
    role: Schema.Literal("solver"),
    ...rewardFields,
    components: Schema.StructWithRest(Schema.Struct({ sample: NonNegativeInt }), [FiniteRecord]),
  }),
]);

export const GroupScored = Schema.Struct({
  role: PolicyRole,
  iteration: Iteration,
  step: Step,
  groupKey: Schema.String,
  sampleIds: Schema.Array(EventId),
  rewards: Schema.Array(Finite),
  advantages: Schema.Array(Finite),
});

export const Funnel = Schema.Struct({
  proposals: NonNegativeInt,
  rendered: NonNegativeInt,
  evaluated: NonNegativeInt,
  kept: NonNegativeInt,
});

export const DatasetItem = Schema.Struct({
  imageId: EventId,
  question: Schema.String,
  pseudoLabel: Schema.String,
  easyConsistency: Probability,
  hardConsistency: Probability,
  /** Which of the image's questions the item asks; absent: hard (the release's only kind). */
  level: Schema.optionalKey(Schema.Literals(["easy", "hard"])),
});

export const DatasetBuilt = Schema.Struct({
  iteration: Iteration,
  phase: Phase,
  funnel: Funnel,
  items: Schema.Array(DatasetItem),
  /** Coder phase: proposal ids kept by the render-rate band; empty for the Solver dataset. */
  promptIds: Schema.Array(EventId),
});

export const PolicyUpdated = Schema.Struct({
  role: PolicyRole,
  iteration: Iteration,
  step: Step,
  fromWeightHash: Sha256Hex,
  weightHash: Sha256Hex,
  checkpoint: Sha256Hex,
  loss: Finite,
  policyLoss: Finite,
  kl: Finite,
  clipFraction: Probability,
  gradNorm: Finite,
  tokenCount: NonNegativeInt,
  groupIds: Schema.Array(EventId),
  /** Blob of the optimizer state after the update, so a resumed phase continues bit-exactly. */
  optimizerState: Sha256Hex,
});

export const Accuracy = Schema.Struct({ correct: NonNegativeInt, total: NonNegativeInt });

export const BenchmarkEvaluated = Schema.Struct({
  iteration: NonNegativeInt,
  weightHash: Sha256Hex,
  benchmarkHash: Sha256Hex,
  overall: Accuracy,
  byLevel: Schema.Record(Schema.String, Accuracy),
  byContentType: Schema.Record(Schema.String, Accuracy),
});

export const RunCompleted = Schema.Struct({
  logChainHead,
  iterations: NonNegativeInt,
  policies: Schema.Struct({ proposer: Sha256Hex, coder: Sha256Hex, solver: Sha256Hex }),
});

export const RunFailed = Schema.Struct({ errorName: Schema.String, message: Schema.String });

/** A message that could not be accepted (malformed, unknown type, failed validation): dead-lettered. */
export const EventRejected = Schema.Struct({
  source: Schema.String,
  reason: Schema.String,
  bytesHash: Sha256Hex,
  preview: Schema.String,
});
