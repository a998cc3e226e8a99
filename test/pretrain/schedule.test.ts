// Goal: the pretraining learning rate warms up linearly to the peak, then decays by a cosine to the
// floor at the last step, never leaving [floor, peak]. Method: fast-check over schedules and steps.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type LearningRateSchedule, learningRateAt } from "../../src/pretrain/index.ts";

const scheduleArbitrary: fc.Arbitrary<LearningRateSchedule> = fc
  .record({
    peak: fc.double({ min: 1e-6, max: 1, noNaN: true }),
    warmupSteps: fc.integer({ min: 0, max: 50 }),
    totalSteps: fc.integer({ min: 1, max: 400 }),
    floorRatio: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map((schedule) => schedule);

const tolerance = 1e-12;

test("every rate lies in [floor, peak]", () => {
  fc.assert(
    fc.property(scheduleArbitrary, (schedule) => {
      for (let step = 0; step < schedule.totalSteps; step++) {
        const rate = learningRateAt(schedule, step);
        const floor = schedule.peak * schedule.floorRatio;
        const warm = step < Math.min(schedule.warmupSteps, schedule.totalSteps - 1);
        assert.ok(rate <= schedule.peak * (1 + tolerance), `step ${step}: ${rate} above the peak`);
        assert.ok(warm || rate >= floor * (1 - tolerance), `step ${step}: ${rate} below the floor`);
        assert.ok(rate > 0 || floor === 0);
      }
    }),
    { seed: 20260101 },
  );
});

test("rises strictly during warm-up, reaches the peak after it, then never rises, ending at the floor", () => {
  fc.assert(
    fc.property(scheduleArbitrary, (schedule) => {
      const rates = Array.from({ length: schedule.totalSteps }, (_, step) => learningRateAt(schedule, step));
      const warmup = Math.min(schedule.warmupSteps, schedule.totalSteps - 1);
      for (let step = 1; step < warmup; step++) assert.ok(rates[step]! > rates[step - 1]!);
      for (let step = warmup + 1; step < rates.length; step++) {
        assert.ok(rates[step]! <= rates[step - 1]! * (1 + tolerance));
      }
      if (schedule.totalSteps - 1 > warmup) {
        assert.ok(Math.abs(rates[warmup]! - schedule.peak) <= schedule.peak * tolerance);
        const floor = schedule.peak * schedule.floorRatio;
        assert.ok(Math.abs(rates.at(-1)! - floor) <= schedule.peak * 1e-9);
      }
    }),
    { seed: 20260102 },
  );
});

test("the feasibility schedule: 1e-3 peak after 150 warm-up steps, 1e-4 at the end", () => {
  const schedule = { peak: 1e-3, warmupSteps: 150, totalSteps: 3000, floorRatio: 0.1 };
  assert.equal(learningRateAt(schedule, 0), 1e-3 / 150);
  assert.equal(learningRateAt(schedule, 149), 1e-3);
  assert.ok(Math.abs(learningRateAt(schedule, 2999) - 1e-4) < 1e-15);
  // Half-way through the decay the cosine is at its midpoint.
  assert.ok(Math.abs(learningRateAt({ ...schedule, totalSteps: 351 }, 250) - 5.5e-4) < 1e-15);
  assert.throws(() => learningRateAt(schedule, 3000), /outside the schedule/);
});
