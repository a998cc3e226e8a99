/**
 * mmzero rescore: a recorded run's samples scored under another reward (and GRPO) configuration,
 * compared with what the log recorded, without running any model. Pure: events in, report out.
 */
export {
  type CoderPromptComparison,
  compareCoderPrompts,
  compareSolverDataset,
  type SolverDatasetComparison,
  type SolverItemChange,
} from "./compare-filters.ts";
export {
  type ChangedSample,
  compareRole,
  type GroupChanges,
  type RoleComparison,
  type StepComparison,
} from "./compare-roles.ts";
export { assertRescorable, type ConfigChange, configChanges, samplingFields } from "./config-changes.ts";
export { IncompleteLogError, NotRescorableConfigError } from "./errors.ts";
export { type GroupScoring, type RescoredGroup, rescoreGroups } from "./rescore-groups.ts";
export { type RescoredSample, type RewardValue, rescoreRewards, sampleKey } from "./rescore-rewards.ts";
export {
  type BaselineCheck,
  decideFilters,
  type FilterDecisions,
  type RescoreInput,
  type RescoreReport,
  rescoreNote,
  rescoreRun,
} from "./rescore-run.ts";
export {
  type DistributionShift,
  type DistributionSummary,
  distributionShift,
  kendallTauB,
  mean,
  orderingChanged,
  quantileOfSorted,
  signChanged,
  summariseDistribution,
  summaryQuantiles,
} from "./statistics.ts";
