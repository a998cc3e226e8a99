import type { PolicyRole } from "../events/index.ts";

/**
 * The run's schedule as a flat list of units, each ending with one marker event in the log. The
 * coordinator walks the list; on resume, the first unit whose marker is missing is where the run
 * continues (mm-zero-algorithm.md, "The loop": Proposer, Coder, Solver phases per iteration).
 */
export type ScheduleUnit =
  | { readonly kind: "start" }
  | { readonly kind: "evaluate"; readonly iteration: number }
  | { readonly kind: "iterationStart"; readonly iteration: number }
  | { readonly kind: "phaseStart"; readonly iteration: number; readonly phase: PolicyRole }
  | { readonly kind: "step"; readonly iteration: number; readonly phase: PolicyRole; readonly step: number }
  | { readonly kind: "phaseEnd"; readonly iteration: number; readonly phase: PolicyRole }
  | { readonly kind: "iterationEnd"; readonly iteration: number }
  | { readonly kind: "complete" };

export const phaseOrder: readonly PolicyRole[] = ["proposer", "coder", "solver"];

export interface ScheduleShape {
  readonly iterations: number;
  readonly steps: Readonly<Record<PolicyRole, number>>;
}

/** Iteration 0's evaluation measures the base model; iteration i's evaluates Solver_i. */
export function buildSchedule(shape: ScheduleShape): readonly ScheduleUnit[] {
  const units: ScheduleUnit[] = [{ kind: "start" }, { kind: "evaluate", iteration: 0 }];
  for (let iteration = 1; iteration <= shape.iterations; iteration++) {
    units.push({ kind: "iterationStart", iteration });
    for (const phase of phaseOrder) {
      units.push({ kind: "phaseStart", iteration, phase });
      for (let step = 0; step < shape.steps[phase]; step++)
        units.push({ kind: "step", iteration, phase, step });
      units.push({ kind: "phaseEnd", iteration, phase });
    }
    units.push({ kind: "evaluate", iteration });
    units.push({ kind: "iterationEnd", iteration });
  }
  units.push({ kind: "complete" });
  return units;
}

/** A stable name for a unit: the key its marker event is recorded under. */
export function unitKey(unit: ScheduleUnit): string {
  switch (unit.kind) {
    case "start":
    case "complete":
      return unit.kind;
    case "evaluate":
    case "iterationStart":
    case "iterationEnd":
      return `${unit.kind}/${unit.iteration}`;
    case "phaseStart":
    case "phaseEnd":
      return `${unit.kind}/${unit.iteration}/${unit.phase}`;
    case "step":
      return `step/${unit.iteration}/${unit.phase}/${unit.step}`;
    default: {
      const unreachable: never = unit;
      return unreachable;
    }
  }
}

/** Index of the first unit not yet completed, given the keys of completed units (from a log fold). */
export function resumeIndex(units: readonly ScheduleUnit[], completed: ReadonlySet<string>): number {
  const index = units.findIndex((unit) => !completed.has(unitKey(unit)));
  return index === -1 ? units.length : index;
}
