/**
 * mmzero's model layer on TensorFlow.js: backend selection, the closed-vocabulary tokenizer, the tiny
 * vision-language transformer, KV-cached sampling, scoring, supervised and GRPO training, checkpoints.
 */
export {
  type BackendName,
  type BackendOptions,
  BackendUnavailableError,
  backendEnvironmentVariable,
  backendNames,
  parseBackendName,
  portableBackendDefault,
  type SelectedBackend,
  selectBackend,
  UnknownBackendError,
} from "./backend.ts";
export {
  CheckpointFormatError,
  decodeCheckpoint,
  decodeTensors,
  encodeCheckpoint,
  encodeTensors,
  type LoadedCheckpoint,
  loadCheckpoint,
  type NamedTensor,
  readWeights,
  saveCheckpoint,
  weightHash,
} from "./checkpoint.ts";
export {
  InvalidModelConfigError,
  ModelConfig,
  type ModelPresetName,
  modelPreset,
  modelPresetNames,
  modelPresetOfShape,
  patchCount,
  validateModelConfig,
} from "./config.ts";
export { GradientWorker, GradientWorkerError } from "./gradient-worker.ts";
export {
  aggregateTokenTensor,
  type BatchTotals,
  type GrpoLossInputs,
  type GrpoLossTensors,
  grpoLossTensors,
} from "./grpo-loss.ts";
export { VisionLanguageModel } from "./model.ts";
export {
  AdamW,
  type AdamWOptions,
  type AdamWState,
  clipByGlobalNorm,
  type Gradients,
  readGradients,
} from "./optimizer.ts";
export {
  ContextOverflowError,
  ImageShapeError,
  imageToPatches,
  type PromptInput,
  type ResponseInput,
} from "./pack.ts";
export {
  type Generation,
  type GenerationRequest,
  generate,
  type SamplingOptions,
  type TokenConstraint,
} from "./sampling.ts";
export { type ScoringOptions, scoreResponses, scoringBatchSizeDefault } from "./scoring.ts";
export {
  type ChoiceSettings,
  ConstraintExhaustedError,
  chooseToken,
  type TokenChoice,
} from "./token-choice.ts";
export {
  defaultSpecialTokens,
  InvalidVocabularyError,
  type SpecialTokens,
  specialTokenIds,
  Tokenizer,
  UnencodableTextError,
  UnknownTokenIdError,
} from "./tokenizer.ts";
export {
  type GradientHelper,
  type GrpoMiniBatchStats,
  type GrpoSample,
  type GrpoUpdateOptions,
  type GrpoUpdateStats,
  grpoShardGradients,
  grpoUpdate,
  miniBatchSizes,
  type ShardGradients,
  type ShardOptions,
  type StepStats,
  type SupervisedOptions,
  sumShardGradients,
  supervisedStep,
} from "./training.ts";
