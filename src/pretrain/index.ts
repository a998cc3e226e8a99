/**
 * Pretraining the base model on the world corpus (`mmzero pretrain`) and evaluating checkpoints on the
 * public benchmark (`mmzero eval`). See docs/world.md, "Pretraining and the base model".
 */

export { type BatchedGenerationOptions, generateInBatches, generationRowsMax } from "./batched-generation.ts";
export {
  type AccuracyBreakdown,
  type EvaluationSummary,
  evaluateSolver,
  type ItemResult,
  rowsOf,
  type SolverEvaluationOptions,
  type SolverItem,
  summariseEvaluation,
} from "./benchmark-evaluation.ts";
export { writeCheckpointFile } from "./checkpoint-file.ts";
export {
  type EvaluationReport,
  type EvaluationRequest,
  evaluateCheckpoint,
  evenlySpaced,
} from "./evaluation-report.ts";
export { imageCacheEntriesMax, SceneImages, SceneRenderError } from "./images.ts";
export { type RoleCycle, type RoleMix, roleBatchAt, roleCycle } from "./role-mix.ts";
export {
  type CoderNumbers,
  coderNumbers,
  type ProposerNumbers,
  proposerNumbers,
  type RoleNumbersOptions,
} from "./role-numbers.ts";
export { jitteredView, loopPromptText, trainingRow } from "./rows.ts";
export { assertSchedule, type LearningRateSchedule, learningRateAt } from "./schedule.ts";
export {
  analyseSelfConsistency,
  type BandSpan,
  type ConsistencyOutcome,
  pairedDifference,
  type SelfConsistencyAnalysis,
} from "./self-consistency.ts";
export {
  assertSettings,
  isModelPresetName,
  isPretrainPresetName,
  type PretrainPresetName,
  type PretrainSettings,
  pretrainPresetNames,
  pretrainPresets,
  pretrainSeedDefault,
} from "./settings.ts";
export {
  type LoadedSolver,
  loadSolver,
  RunWithoutSolverUpdateError,
  SolverNotFoundError,
} from "./solver-source.ts";
export {
  type PretrainHooks,
  type PretrainResult,
  PretrainStartError,
  type PretrainStep,
  pretrainBase,
  pretrainExamples,
  pretrainModelConfig,
} from "./trainer.ts";
export { type AnswerKind, analyseVoteDraws, answerKind, type VoteDrawsAnalysis } from "./vote-draws.ts";
export { type Proportion, proportion } from "./wilson.ts";
