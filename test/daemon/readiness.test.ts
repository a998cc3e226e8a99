// Goal: /readyz's rule: a draining daemon is never ready; an idle one is ready exactly when nothing
// waits; a running one is ready exactly when its last progress is within the stall window; every
// answer carries a reason. /healthz's rule: alive unless a run is running and quiet past a
// non-zero stall limit (idle and draining daemons are alive).
// Method: fast-check (seeded) over all inputs, against the rule stated independently.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { livenessOf, readinessOf } from "../../src/daemon/index.ts";

test("readiness follows draining, the queue and the stall window", () => {
  const input = fc.record({
    draining: fc.boolean(),
    running: fc.option(
      fc.record({ runId: fc.constant("smoke-abc"), lastProgressMs: fc.integer({ min: 0, max: 10_000 }) }),
      {
        nil: null,
      },
    ),
    waiting: fc.integer({ min: 0, max: 5 }),
    nowMs: fc.integer({ min: 0, max: 20_000 }),
    stallWindowMs: fc.integer({ min: 1, max: 10_000 }),
  });
  fc.assert(
    fc.property(input, (state) => {
      const readiness = readinessOf(state);
      const expected = state.draining
        ? false
        : state.running === null
          ? state.waiting === 0
          : state.nowMs - state.running.lastProgressMs <= state.stallWindowMs;
      assert.equal(readiness.ready, expected);
      assert.ok(readiness.reason.length > 0);
      if (!expected && !state.draining && state.running !== null) assert.match(readiness.reason, /stalled/);
    }),
    { seed: 2026, numRuns: 300 },
  );
});

test("liveness fails exactly when a running run is quiet past a non-zero stall limit", () => {
  const input = fc.record({
    running: fc.option(
      fc.record({ runId: fc.constant("smoke-abc"), lastProgressMs: fc.integer({ min: 0, max: 10_000 }) }),
      { nil: null },
    ),
    nowMs: fc.integer({ min: 0, max: 20_000 }),
    stallLimitMs: fc.integer({ min: 0, max: 10_000 }),
  });
  fc.assert(
    fc.property(input, (state) => {
      const liveness = livenessOf(state);
      const expected =
        state.running === null ||
        state.stallLimitMs === 0 ||
        state.nowMs - state.running.lastProgressMs <= state.stallLimitMs;
      assert.equal(liveness.alive, expected);
      assert.equal(liveness.status, expected ? "alive" : "stalled");
      assert.ok(liveness.reason.length > 0);
      if (!expected) assert.match(liveness.reason, /no progress for \d+ ms \(limit \d+ ms\)/);
    }),
    { seed: 2026, numRuns: 300 },
  );
});
