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

/** Seconds a phase took: by the wall clock, and of this process's CPU (all its threads). */
export interface PhaseTime {
  wall: number;
  cpu: number;
}

/**
 * A progress sink that charges the wall and CPU time between unit starts to the unit's phase (what
 * `phaseOf` makes of its description); call `end()` after the last unit. Why CPU time too: on a
 * shared machine the wall time of a phase depends on what else runs, the CPU time it needs much
 * less, so a ratio of CPU times stays put where wall-time ratios of the same pairs swing widely.
 */
export function phaseTimer(phaseOf: (description: string) => string): {
  readonly sink: ProgressSink;
  readonly times: Record<string, PhaseTime>;
  end(): void;
} {
  const times: Record<string, PhaseTime> = {};
  let phase = "setup";
  let wallStarted = performance.now();
  let cpuStarted = process.cpuUsage();
  const charge = (next: string) => {
    const wall = performance.now();
    const cpu = process.cpuUsage(cpuStarted);
    const entry = times[phase] ?? { wall: 0, cpu: 0 };
    entry.wall += (wall - wallStarted) / 1000;
    entry.cpu += (cpu.user + cpu.system) / 1e6;
    times[phase] = entry;
    phase = next;
    wallStarted = wall;
    cpuStarted = process.cpuUsage();
  };
  return {
    sink: { unit: (description) => charge(phaseOf(description)), metrics() {} },
    times,
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
