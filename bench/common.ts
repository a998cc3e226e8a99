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

/** "median (min-max)" of per-pair ratios. */
export function ratioSummary(ratios: readonly number[]): string {
  return `${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`;
}
