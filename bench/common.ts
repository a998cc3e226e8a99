// What every bench shares: its numeric options, the median it reports, per-phase timing.
import type { ProgressSink } from "../src/actors/index.ts";

/** A positive whole-number option `--name N` (the fallback when absent). */
export function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

/** The median (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}

/**
 * A progress sink that charges the wall-clock seconds between unit starts to the unit's phase (what
 * `phaseOf` makes of its description); call `end()` after the last unit.
 */
export function phaseTimer(phaseOf: (description: string) => string): {
  readonly sink: ProgressSink;
  readonly seconds: Record<string, number>;
  end(): void;
} {
  const seconds: Record<string, number> = {};
  let phase = "setup";
  let started = performance.now();
  const charge = (next: string) => {
    const now = performance.now();
    seconds[phase] = (seconds[phase] ?? 0) + (now - started) / 1000;
    phase = next;
    started = now;
  };
  return {
    sink: { unit: (description) => charge(phaseOf(description)), metrics() {} },
    seconds,
    end: () => charge("end"),
  };
}

/** The loop's role phases, from a unit description (`iteration 1 · coder · step 2`). */
export function rolePhaseOf(description: string): string {
  return /· (proposer|coder|solver)/.exec(description)?.[1] ?? "other";
}

/** Two times for the same work: the baseline's and the measured side's. */
export interface TimedPair {
  readonly baseline: number;
  readonly measured: number;
}

/**
 * The sum of the baselines' times over the sum of the measured times. Why pooled: every pair counts
 * by its size, so one short, noisy pair cannot move the figure as it moves a median of a few ratios.
 */
export function pooledRatio(pairs: readonly TimedPair[]): number {
  let baseline = 0;
  let measured = 0;
  for (const pair of pairs) {
    baseline += pair.baseline;
    measured += pair.measured;
  }
  return baseline / measured;
}

/** "pooled (min-max)": the pooled ratio, then the range of the pairs' own ratios. */
export function pooledRatioSummary(pairs: readonly TimedPair[]): string {
  const ratios = pairs.map((pair) => pair.baseline / pair.measured);
  return `${pooledRatio(pairs).toFixed(2)} (${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`;
}
