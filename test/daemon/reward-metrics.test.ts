// Goal: the daemon's reward gauges are rewards only. RewardScored carries which response a reward
// scores as a field (`sampleIndex`), not among its components, and an old log's v1 rewards (which
// stored the Solver's `sample` and the Proposer's `renderedCount` among them) are upcast on read, so
// no `mmzero_reward_component_mean` series is ever one of those names.
// Method: DaemonMetrics observes v1 rewards decoded from stored bytes and v2 rewards as the loop
// records them; the Prometheus text is read back.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DaemonMetrics } from "../../src/daemon/index.ts";
import { decodeEvent, eventId, type MmzeroEvent } from "../../src/events/index.ts";
import { storedRewardScoredV1, testAt } from "../support/events.ts";

const runId = "reward-metrics";

function solverRewardV2(seq: number, sampleIndex: number, correct: number): MmzeroEvent {
  const producer = { role: "scorer", version: 0 } as const;
  return {
    runId,
    seq,
    id: eventId(runId, producer, `answers/${sampleIndex}/reward`),
    causationId: null,
    correlationId: null,
    producer,
    at: testAt,
    type: "RewardScored",
    v: 2,
    payload: {
      role: "solver",
      iteration: 1,
      step: 1,
      sampleId: "1".repeat(32),
      sampleIndex,
      total: correct,
      components: { correct, formatOk: 1 },
      configHash: "0".repeat(64),
    },
  };
}

function componentsOf(text: string): string[] {
  return [...text.matchAll(/mmzero_reward_component_mean\{role="(\w+)",component="(\w+)"\}/g)].map(
    ([, role, component]) => `${role}/${component}`,
  );
}

test("reward gauges hold reward components only, from v1 logs and v2 events alike", async () => {
  const metrics = new DaemonMetrics({
    consumerLag: async () => 0,
    runCounts: () => ({ queued: 0, running: 0, completed: 0, failed: 0, stopped: 0, cancelled: 0 }),
  });
  const stored = [
    storedRewardScoredV1(runId, 1, {
      role: "proposer",
      step: 0,
      total: 0.5,
      components: { formatValid: 1, base: 0.5, renderedCount: 4 },
    }),
    storedRewardScoredV1(runId, 2, {
      role: "solver",
      step: 0,
      total: 1,
      components: { correct: 1, formatOk: 1, sample: 3 },
    }),
  ];
  for (const bytes of stored) metrics.observeEvent(decodeEvent(bytes).event);
  const fromV1 = componentsOf(await metrics.text());
  assert.deepEqual(fromV1.sort(), [
    "proposer/base",
    "proposer/formatValid",
    "proposer/total",
    "solver/correct",
    "solver/formatOk",
    "solver/total",
  ]);
  metrics.observeEvent(solverRewardV2(3, 5, 0));
  metrics.observeEvent(solverRewardV2(4, 6, 1));
  const text = await metrics.text();
  assert.match(text, /mmzero_reward_component_mean\{role="solver",component="correct"\} 0.5\n/);
  for (const name of ["sample", "sampleIndex", "renderedCount"])
    assert.doesNotMatch(text, new RegExp(`component="${name}"`), name);
});
