/**
 * mmzero decisions: the sample graph (one fold of the log joining every sample to what it led to)
 * and every decision the loop takes over it, as pure functions of the graph and a configuration:
 * rewards per phase, the Coder prompt filter, the Solver dataset filter, GRPO group scoring. The
 * loop records what they return; rescore calls them again under another configuration and diffs.
 */
export {
  type CoderPrompt,
  type CoderPromptCandidate,
  type CoderPromptsDecision,
  type CoderStepScores,
  coderDataset,
  coderOutcome,
  coderStepPrompts,
  decideCoderPrompts,
  scoreCoderStep,
} from "./coder.ts";
export {
  type DecisionConfig,
  rewardConfigHash,
  type StepPosition,
} from "./config.ts";
export { IncompleteLogError } from "./errors.ts";
export { type GroupDecision, scoreGroup } from "./groups.ts";
export { type ProposerStepScores, proposerOutcome, scoreProposerStep } from "./proposer.ts";
export {
  type ImageAnswerEvents,
  type RenderEvent,
  SampleGraph,
  type SampleSlot,
} from "./sample-graph.ts";
export {
  decideSolverDataset,
  keptDatasetItems,
  type SolverDatasetDecision,
  type SolverItemCandidate,
  type SolverStepItem,
  type SolverStepScores,
  scoreSolverStep,
  solverDataset,
  solverStepItems,
} from "./solver.ts";
