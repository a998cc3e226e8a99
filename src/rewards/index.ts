/**
 * mmzero rewards: answer matching, Proposer/Coder/Solver rewards with their components, the loop's data
 * filters, the reward configuration, and GRPO math as scalar reference functions. Pure: no I/O, no
 * randomness, no clock.
 */
export { groupAdvantages, groupsForUpdate, isInformativeGroup } from "./advantages.ts";
export {
  answersEquivalent,
  extractFinalAnswer,
  isNonAnswer,
  missingAnswer,
  nonAnswers,
  normaliseAnswer,
} from "./answers.ts";
export { type BleuOptions, bleuDistanceMatrix, type DistanceMatrix, sentenceBleu } from "./bleu.ts";
export { averageLinkageClusters, clusterShares } from "./clustering.ts";
export {
  type CoderOutcome,
  type CoderReward,
  type CoderRollout,
  isSvgLike,
  scoreCoder,
  solvabilityAnchors,
} from "./coder-reward.ts";
export {
  CoderConfig,
  DifficultyShape,
  DiversityConfig,
  decodeRewardConfig,
  FilterConfig,
  JudgingConfig,
  ProbabilityBand,
  ProposerConfig,
  RewardConfig,
  type RewardConfigOverrides,
  type RewardPresetName,
  resolveRewardConfig,
  rewardPresetNames,
  SolvabilityAnchor,
  SolvabilityCombination,
  SolverConfig,
} from "./config.ts";
export {
  type ClusterShares,
  type DiversityResult,
  type DiversityTexts,
  diversityAdjustments,
  fieldClusterShares,
} from "./diversity.ts";
export { InconsistentInputError, InvalidConfigError } from "./errors.ts";
export {
  answeredAsComposition,
  type CoderPromptDecision,
  filterCoderPrompt,
  filterSolverItem,
  type HardSample,
  type ProposerAnswers,
  type SolverItemDecision,
  type SolverItemRejection,
} from "./filters.ts";
export {
  decodeGrpoConfig,
  GrpoConfig,
  type GrpoConfigOverrides,
  type GrpoPresetName,
  grpoPresetNames,
  LossAggregation,
  resolveGrpoConfig,
} from "./grpo-config.ts";
export { type MajorityVote, majorityVote, uniqueMajority } from "./majority.ts";
export { difficulty, type ImageJudgement, judgeImage, solvability } from "./measures.ts";
export { mergeDeep } from "./merge.ts";
export {
  aggregateTokens,
  clippedSurrogate,
  type GrpoLoss,
  grpoLoss,
  k3Kl,
  logRatioClampMaximum,
  maskedMeanEpsilon,
  type SequenceLogProbs,
  type TokenSurrogate,
} from "./policy-loss.ts";
export {
  type ContentType,
  classifyCaption,
  contentTypeKeywords,
  contentTypes,
  normaliseContentType,
  type Proposal,
  type ProposalParse,
  parseProposal,
  type RequiredProposalField,
  requiredProposalFields,
  resolveContentType,
} from "./proposal.ts";
export {
  contentTypePenalties,
  type JudgeResult,
  type ProposerOutcome,
  type ProposerReward,
  type RenderScore,
  scoreProposerBatch,
} from "./proposer-reward.ts";
export { type SolverReward, scoreSolverResponse, solverFormatOk } from "./solver-reward.ts";
export {
  asciiLowerCase,
  collapseTagWhitespace,
  collapseWhitespace,
  indexOfIgnoringAsciiCase,
  stripWhitespace,
  whitespaceTokens,
} from "./text.ts";
export {
  isWorkingsOperator,
  parseWorkings,
  replayWorkings,
  type Workings,
  workingsConsistent,
  workingsOperations,
  workingsWords,
} from "./workings.ts";
