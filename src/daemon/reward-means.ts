/**
 * The latest reward means of one role: the mean of each reward component (and the total) over the
 * samples of the most recent (iteration, step) seen. A sample of a newer step starts a new window,
 * so the gauges follow training instead of averaging the whole run.
 */
export interface RewardWindow {
  /** "iteration/step" of the samples in the window. */
  readonly step: string;
  readonly count: number;
  /** Sum per component name, "total" included. */
  readonly sums: Readonly<Record<string, number>>;
}

export interface RewardSample {
  readonly iteration: number;
  readonly step: number;
  readonly total: number;
  readonly components: Readonly<Record<string, number>>;
}

/** The gauge name of a sample's total reward. */
export const totalComponent = "total";

/** Adds a sample to the role's window, or starts a new window when the sample is from another step. */
export function addRewardSample(window: RewardWindow | undefined, sample: RewardSample): RewardWindow {
  const step = `${sample.iteration}/${sample.step}`;
  const base = window !== undefined && window.step === step ? window : { step, count: 0, sums: {} };
  const sums: Record<string, number> = { ...base.sums };
  const values: Record<string, number> = { ...sample.components, [totalComponent]: sample.total };
  for (const [name, value] of Object.entries(values)) sums[name] = (sums[name] ?? 0) + value;
  return { step, count: base.count + 1, sums };
}

/** Mean per component over the window's samples (a component missing from some samples averages over all). */
export function rewardMeans(window: RewardWindow): Record<string, number> {
  const means: Record<string, number> = {};
  for (const [name, sum] of Object.entries(window.sums)) means[name] = sum / window.count;
  return means;
}
