import type { ScheduleUnit } from "../actors/index.ts";

/**
 * Where a schedule unit sits, as plain fields for machines (run.log lines; `mmzero export` uses the
 * same names): `iteration`, `phase`, `role` (the policy the unit's numbers describe), `stage` and
 * a 1-based `step` (0 for the dataset built before step 1 and for the benchmark).
 */
export interface UnitFields {
  readonly iteration?: number;
  readonly phase?: string;
  readonly role?: string;
  readonly stage?: string;
  readonly step?: number;
}

export function unitFields(unit: ScheduleUnit): UnitFields {
  switch (unit.kind) {
    case "step":
      return {
        iteration: unit.iteration,
        phase: unit.phase,
        role: unit.phase,
        stage: "step",
        step: unit.step + 1,
      };
    case "phaseStart":
      return { iteration: unit.iteration, phase: unit.phase, role: unit.phase, stage: "dataset", step: 0 };
    case "phaseEnd":
      return { iteration: unit.iteration, phase: unit.phase, role: unit.phase, stage: "end", step: 0 };
    case "evaluate":
      return { iteration: unit.iteration, phase: "benchmark", role: "solver", stage: "benchmark", step: 0 };
    case "iterationStart":
    case "iterationEnd":
      return { iteration: unit.iteration };
    case "start":
    case "complete":
      return {};
  }
}
