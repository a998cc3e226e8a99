import assert from "node:assert/strict";

/**
 * The pretraining learning rate: linear warm-up to the peak, then cosine decay to a floor at the last
 * step. Why this shape: it is what learned here within minutes (shared/notes/learning-feasibility.md:
 * Adam 1e-3, 150-step warm-up, cosine to 0.1x over the budget).
 */
export interface LearningRateSchedule {
  /** Learning rate at the end of warm-up. */
  readonly peak: number;
  /** Steps of linear warm-up (step 0 trains at peak / warmupSteps). */
  readonly warmupSteps: number;
  /** Steps of the whole run; the last (totalSteps - 1) trains at the floor. */
  readonly totalSteps: number;
  /** The last step's rate as a fraction of the peak, in [0, 1]. */
  readonly floorRatio: number;
}

export function assertSchedule(schedule: LearningRateSchedule): void {
  assert(
    schedule.peak > 0 && Number.isFinite(schedule.peak),
    `peak learning rate ${schedule.peak} must be > 0`,
  );
  assert(
    Number.isInteger(schedule.warmupSteps) && schedule.warmupSteps >= 0,
    "warm-up steps must be a whole number",
  );
  assert(
    Number.isInteger(schedule.totalSteps) && schedule.totalSteps >= 1,
    "total steps must be a positive integer",
  );
  assert(
    schedule.floorRatio >= 0 && schedule.floorRatio <= 1,
    `floor ratio ${schedule.floorRatio} outside [0, 1]`,
  );
}

/** The rate for optimiser step `step` (0-based). */
export function learningRateAt(schedule: LearningRateSchedule, step: number): number {
  assert(
    Number.isInteger(step) && step >= 0 && step < schedule.totalSteps,
    `step ${step} outside the schedule`,
  );
  const { peak, warmupSteps, totalSteps, floorRatio } = schedule;
  // Warm-up never takes the whole run: a short run (tests) still decays.
  const warmup = Math.min(warmupSteps, totalSteps - 1);
  if (step < warmup) return (peak * (step + 1)) / warmup;
  const decaySteps = totalSteps - 1 - warmup;
  const progress = decaySteps === 0 ? 1 : (step - warmup) / decaySteps;
  const floor = peak * floorRatio;
  return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
}
