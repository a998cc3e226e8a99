/**
 * The simulated world (docs/world.md): scenes of four content types, their captions, SVGs and
 * questions, the closed vocabulary, the pretraining corpus and the public benchmark.
 *
 * The oracle (`oracleAnswer`, `oracleDepicts`) is for ANALYSIS ONLY: the training loop must never use
 * it for rewards, filters or labels (see oracle.ts).
 */
export {
  BenchmarkFormatError,
  BenchmarkItem,
  type BenchmarkProfile,
  type BenchmarkProfileName,
  benchmarkEasyPerContentType,
  benchmarkHardLimits,
  benchmarkHardPerContentType,
  benchmarkJsonl,
  benchmarkPairKey,
  benchmarkProfiles,
  benchmarkSeed,
  generateBenchmark,
  parseBenchmarkJsonl,
} from "./benchmark.ts";
export { captionText, captionTokens, parseCaption, sceneSignature } from "./caption.ts";
export {
  type CoderExample,
  type CorpusCounts,
  type CorpusExample,
  type CorpusOptions,
  type CorpusRole,
  corpusExample,
  corpusRoles,
  defaultCorpusOptions,
  type ProposerExample,
  pretrainingCorpus,
  type SolverExample,
  stepwiseComposeCorpusOptions,
  stepwiseCorpusOptions,
  stepwiseLongCorpusOptions,
  stepwisePathsCorpusOptions,
} from "./corpus.ts";
export {
  CaptionParseError,
  type EvaluationFailureKind,
  type Parsed,
  QuestionEvaluationError,
  QuestionParseError,
  SvgSceneError,
} from "./errors.ts";
export { type Answer, answerWord, type Evaluation, evaluateQuestion } from "./evaluate.ts";
export { type SceneItem, sceneItems } from "./items.ts";
export { canvasSizePixels } from "./layout.ts";
export {
  type Colour,
  colours,
  numberMax,
  numberMin,
  parseNumberWord,
  type Shape,
  shapes,
  type WorldContentType,
  worldContentTypes,
} from "./lexicon.ts";
export {
  type Depiction,
  type OracleAnswer,
  type OracleAnswerFailure,
  oracleAnswer,
  oracleDepicts,
} from "./oracle.ts";
export {
  benchmarkPartitionBuckets,
  type ScenePartition,
  sampleSceneIn,
  sceneBucket,
  scenePartition,
} from "./partition.ts";
export {
  type ProposalFields,
  proposalText,
  proposalTokens,
  proposerPromptText,
  proposerPromptTokens,
  solverPromptText,
  solverPromptTokens,
  type Topic,
  topicContentTypeWeights,
  topics,
} from "./prompts.ts";
export {
  type Condition,
  type Expression,
  type Level,
  type Question,
  questionLevel,
  questionSteps,
  type Selector,
  type Term,
} from "./question.ts";
export {
  type GeneratedQuestion,
  type HardQuestionLimits,
  sampleEasyQuestion,
  sampleHardQuestion,
} from "./question-sampler.ts";
export { parseQuestion, questionText, questionTokens, questionWordsMax } from "./question-text.ts";
export type { BarChartScene, DiagramScene, GeometryScene, Scene, TableScene } from "./scene.ts";
export { sceneProblem } from "./scene.ts";
export { sampleScene } from "./scene-sampler.ts";
export {
  drawViewShift,
  isViewJitter,
  SceneViewError,
  shiftedSceneSvg,
  type ViewShift,
  viewJitterRule,
  viewShiftMax,
  viewShiftQuantum,
} from "./scene-view.ts";
export {
  boxedCloseToken,
  boxedOpenToken,
  type SolverTraceStyle,
  solverAnswerText,
  solverAnswerTokens,
  solverAnswerWritable,
  solverTraceStyles,
  thinkCloseToken,
  thinkOpenToken,
  workingsTokensMax,
} from "./solver-answer.ts";
export { readSvgScene, svgCharactersMax } from "./svg-reader.ts";
export {
  coderAnswerTokens,
  sceneSvg,
  sceneSvgTokens,
  svgFenceCloseToken,
  svgFenceOpenToken,
} from "./svg-writer.ts";
export { worldVocabulary } from "./vocabulary.ts";
export {
  orderedEvaluation,
  type SolverWorkingsOrder,
  shuffledWorkings,
  solverWorkingsOrders,
  workingsReads,
} from "./workings-order.ts";
