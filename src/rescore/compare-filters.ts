/**
 * Per-iteration comparison of the recorded data filters (the kept sets in DatasetBuilt) with the
 * decisions the requested configuration makes on the same candidates.
 */
import type { SolverItemRejection } from "../rewards/index.ts";
import { datasetKey, type RecordedIndex } from "./recorded-index.ts";
import type { CoderPromptCandidate, SolverItemCandidate } from "./rescore-filters.ts";

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

/** Iterations with a recorded dataset of that phase, ascending. */
function recordedIterations(index: RecordedIndex, phase: "coder" | "solver"): number[] {
  return [...index.datasets.values()]
    .filter((dataset) => dataset.payload.phase === phase)
    .map((dataset) => dataset.payload.iteration)
    .sort((left, right) => left - right);
}

export function compareCoderPrompts(
  index: RecordedIndex,
  requested: readonly CoderPromptCandidate[],
): CoderPromptComparison[] {
  return recordedIterations(index, "coder").map((iteration) => {
    const before = new Set(index.datasets.get(datasetKey(iteration, "coder"))!.payload.promptIds);
    const candidates = requested.filter((candidate) => candidate.iteration === iteration);
    const after = candidates
      .filter((candidate) => candidate.decision.kept)
      .map((candidate) => candidate.proposalId);
    const afterSet = new Set(after);
    return {
      iteration,
      evaluated: candidates.length,
      keptBefore: before.size,
      keptAfter: after.length,
      filteredIn: after.filter((id) => !before.has(id)),
      filteredOut: [...before].filter((id) => !afterSet.has(id)),
    };
  });
}

export function compareSolverDataset(
  index: RecordedIndex,
  recordedRules: readonly SolverItemCandidate[],
  requested: readonly SolverItemCandidate[],
): SolverDatasetComparison[] {
  return recordedIterations(index, "solver").map((iteration) => {
    const items = index.datasets.get(datasetKey(iteration, "solver"))!.payload.items;
    const before = new Map(items.map((item) => [item.imageId, item]));
    const oldRules = new Map(
      recordedRules
        .filter((candidate) => candidate.iteration === iteration)
        .map((candidate) => [candidate.imageId, candidate]),
    );
    const candidates = requested.filter((candidate) => candidate.iteration === iteration);
    const keptAfter = candidates.filter((candidate) => candidate.decision.kept);
    return {
      iteration,
      evaluated: candidates.length,
      keptBefore: items.length,
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
        const recorded = before.get(candidate.imageId);
        return recorded === undefined || recorded.pseudoLabel === candidate.decision.pseudoLabel
          ? []
          : [
              {
                imageId: candidate.imageId,
                before: recorded.pseudoLabel,
                after: candidate.decision.pseudoLabel,
              },
            ];
      }),
    };
  });
}
