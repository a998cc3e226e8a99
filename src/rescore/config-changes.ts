/**
 * What differs between the recorded configuration and the requested one, field by field, and which
 * of those differences rescoring cannot answer because they change what is sampled.
 */
import type { RewardConfig } from "../rewards/index.ts";
import { NotRescorableConfigError } from "./errors.ts";

export interface ConfigChange {
  /** Dotted field path, e.g. `proposer.trivialHardPenalty`. */
  readonly path: string;
  readonly recorded: unknown;
  readonly requested: unknown;
}

/**
 * Reward-config fields that decide how many samples are drawn or which policy draws them: the log
 * holds exactly the samples the recorded values asked for, so other values have nothing to score.
 */
export const samplingFields = [
  "judging.codeSamplesPerProposal",
  "judging.solverSamplesPerImage",
  "judging.judgeCoderPhaseWithPreviousCoder",
  "filters.coderRenderSamples",
  "filters.solverDatasetSamples",
] as const;

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Leaf-by-leaf differences of two JSON-like values, in sorted path order. */
export function configChanges(recorded: unknown, requested: unknown, prefix = ""): ConfigChange[] {
  if (isPlainObject(recorded) && isPlainObject(requested)) {
    const keys = [...new Set([...Object.keys(recorded), ...Object.keys(requested)])].sort();
    return keys.flatMap((key) =>
      configChanges(recorded[key], requested[key], prefix === "" ? key : `${prefix}.${key}`),
    );
  }
  if (JSON.stringify(recorded) === JSON.stringify(requested)) return [];
  return [{ path: prefix, recorded, requested }];
}

/** Throws {@link NotRescorableConfigError} when `requested` changes a {@link samplingFields} entry. */
export function assertRescorable(recorded: RewardConfig, requested: RewardConfig): void {
  const sampling: ReadonlySet<string> = new Set(samplingFields);
  const blocking = configChanges(recorded, requested).filter((change) => sampling.has(change.path));
  if (blocking.length > 0) throw new NotRescorableConfigError(blocking);
}
