/**
 * Per-iteration comparison of the recorded data filters (the kept sets in DatasetBuilt) with the
 * decisions the requested configuration makes on the same candidates.
 */
import type { CoderPromptsDecision, SolverDatasetDecision } from "../decisions/index.ts";
import type { EventOf } from "../events/index.ts";
import type { SolverItemRejection } from "../rewards/index.ts";

export interface CoderPromptComparison {
  readonly iteration: number;
  /** Format-valid candidates whose render rate was measured. */
  readonly evaluated: number;
  readonly keptBefore: number;
  readonly keptAfter: number;
  /** Proposal ids kept only under the requested configuration. */
  readonly filteredIn: readonly string[];
  /** Proposal ids kept only under the recorded one. */
  readonly filteredOut: readonly string[];
}

export interface SolverItemChange {
  readonly imageId: string;
  readonly pseudoLabel: string;
  /** Why the configuration on the other side drops it: the recorded one for filtered-in items, the requested one for filtered-out items. */
  readonly rejection: SolverItemRejection | null;
}

export interface SolverDatasetComparison {
  readonly iteration: number;
  /** Rendered and answered candidates. */
  readonly evaluated: number;
  readonly keptBefore: number;
  readonly keptAfter: number;
  readonly filteredIn: readonly SolverItemChange[];
  readonly filteredOut: readonly SolverItemChange[];
  /** Items kept on both sides whose pseudo-label differs. */
  readonly pseudoLabelChanges: readonly { imageId: string; before: string; after: string }[];
}

/** One iteration's Coder prompts: the recorded kept set against the requested decision. */
export function compareCoderPrompts(
  recorded: EventOf<"DatasetBuilt">,
  requested: CoderPromptsDecision,
): CoderPromptComparison {
  const before = new Set(recorded.payload.promptIds);
  const after = requested.dataset.payload.promptIds;
  const afterSet = new Set(after);
  return {
    iteration: recorded.payload.iteration,
    evaluated: requested.candidates.length,
    keptBefore: before.size,
    keptAfter: after.length,
    filteredIn: after.filter((id) => !before.has(id)),
    filteredOut: [...before].filter((id) => !afterSet.has(id)),
  };
}

/**
 * One iteration's Solver dataset: the recorded items against the requested decision, each change
 * with the rejection of the configuration on the other side (`recordedRules`: the recorded one).
 */
export function compareSolverDataset(
  recorded: EventOf<"DatasetBuilt">,
  recordedRules: SolverDatasetDecision,
  requested: SolverDatasetDecision,
): SolverDatasetComparison {
  const before = new Map(recorded.payload.items.map((item) => [item.imageId, item]));
  const oldRules = new Map(recordedRules.candidates.map((candidate) => [candidate.imageId, candidate]));
  const candidates = requested.candidates;
  const keptAfter = candidates.filter((candidate) => candidate.decision.kept);
  return {
    iteration: recorded.payload.iteration,
    evaluated: candidates.length,
    keptBefore: recorded.payload.items.length,
    keptAfter: keptAfter.length,
    filteredIn: keptAfter
      .filter((candidate) => !before.has(candidate.imageId))
      .map((candidate) => ({
        imageId: candidate.imageId,
        pseudoLabel: candidate.decision.pseudoLabel,
        rejection: oldRules.get(candidate.imageId)?.decision.rejection ?? null,
      })),
    filteredOut: candidates
      .filter((candidate) => before.has(candidate.imageId) && !candidate.decision.kept)
      .map((candidate) => ({
        imageId: candidate.imageId,
        pseudoLabel: before.get(candidate.imageId)!.pseudoLabel,
        rejection: candidate.decision.rejection,
      })),
    pseudoLabelChanges: keptAfter.flatMap((candidate) => {
      const item = before.get(candidate.imageId);
      return item === undefined || item.pseudoLabel === candidate.decision.pseudoLabel
        ? []
        : [{ imageId: candidate.imageId, before: item.pseudoLabel, after: candidate.decision.pseudoLabel }];
    }),
  };
}
