import type { ProgressSink } from "../actors/index.ts";
import { buildSchedule, describeUnit, type ScheduleUnit } from "../actors/index.ts";
import type { RunConfig } from "../config/index.ts";

/** The labels of a unit's latency: which actor does the work and what kind of unit it is. */
export interface UnitLabels {
  readonly actor: string;
  readonly unitKind: ScheduleUnit["kind"];
}

/** A monotonic millisecond clock (performance.now in production, a counter in tests). */
export interface MonotonicClock {
  nowMs(): number;
}

function labelsOf(unit: ScheduleUnit): UnitLabels {
  switch (unit.kind) {
    case "step":
    case "phaseStart":
    case "phaseEnd":
      return { actor: unit.phase, unitKind: unit.kind };
    case "evaluate":
      return { actor: "evaluator", unitKind: unit.kind };
    default:
      return { actor: "coordinator", unitKind: unit.kind };
  }
}

/** A schedule unit as the daemon sees it: its labels and its 0-based position in the schedule. */
export interface ScheduledUnit extends UnitLabels {
  /** Units before this one in the schedule: all done once this one starts. */
  readonly position: number;
}

/**
 * Units by the progress sink's unit descriptions. The sink only gets `describeUnit(unit)`, which is
 * unique within a schedule, so mapping it back through the run's own schedule recovers the unit
 * exactly, without parsing text. The map's size is the number of units in the run.
 */
export function unitLabelsByDescription(config: RunConfig): ReadonlyMap<string, ScheduledUnit> {
  const units = buildSchedule({
    iterations: config.iterations,
    steps: { proposer: config.proposer.steps, coder: config.coder.steps, solver: config.solver.steps },
  });
  return new Map(units.map((unit, position) => [describeUnit(unit), { ...labelsOf(unit), position }]));
}

export interface TimedProgress extends ProgressSink {
  /** The run ended: the unit in progress completed (true) or was cut (false: not timed). */
  finish(lastUnitCompleted: boolean): void;
}

/**
 * A progress sink that times units: a unit runs from its `unit()` call to the next one (units run
 * one at a time), and each completed unit's duration goes to `onUnitTimed`. Calls pass on to `next`.
 */
export function createTimedProgress(
  labels: ReadonlyMap<string, UnitLabels>,
  clock: MonotonicClock,
  onUnitTimed: (labels: UnitLabels, seconds: number) => void,
  next: ProgressSink,
): TimedProgress {
  let current: { labels: UnitLabels | undefined; startedMs: number } | null = null;
  const closeCurrent = (): void => {
    if (current?.labels !== undefined)
      onUnitTimed(current.labels, (clock.nowMs() - current.startedMs) / 1000);
  };
  return {
    unit(description) {
      closeCurrent();
      current = { labels: labels.get(description), startedMs: clock.nowMs() };
      next.unit(description);
    },
    metrics(label, values) {
      next.metrics(label, values);
    },
    finish(lastUnitCompleted) {
      if (lastUnitCompleted) closeCurrent();
      current = null;
    },
  };
}
