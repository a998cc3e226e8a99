// Goal: a run cut inside a unit resumes to exactly the events of an uninterrupted run: the recorder
// re-checks the cut unit's recorded events (held only from the resume point on), the sample graph is
// seeded from the log, and the decisions taken after the resume read the same inputs.
// Method: the real loop driven by the scripted services of test/rescore/scripted-run.ts on memory
// logs; the cut run's policies fail on the n-th sampling call for several n (so the cut falls in
// different units and phases), then the same log is resumed with working services. Events are
// compared by id, type and canonical payload (the cut log also holds its RunFailed, which its
// anchors' chain heads run through).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { LoopServices } from "../../src/actors/index.ts";
import { runIdOf, runLoop } from "../../src/actors/index.ts";
import { canonicalJson, type MmzeroEvent, sha256Hex } from "../../src/events/index.ts";
import { worldRoleFormats } from "../../src/policy/index.ts";
import { resolveGrpoConfig, resolveRewardConfig } from "../../src/rewards/index.ts";
import { type EventLog, openMemoryLog } from "../../src/store/index.ts";
import { scriptedRunConfig, scriptedServices } from "../rescore/scripted-run.ts";

const config = scriptedRunConfig("release", "release");

async function walk(log: EventLog, services: LoopServices, resume: boolean) {
  return runLoop({
    config,
    rewards: resolveRewardConfig("release"),
    grpo: resolveGrpoConfig("release"),
    log,
    services,
    formats: worldRoleFormats,
    benchmark: { items: [], hash: sha256Hex("no benchmark") },
    base: { weightHash: sha256Hex("scripted base"), checkpoint: sha256Hex("scripted base checkpoint") },
    backend: { name: "scripted", version: "0", threads: 1, simd: false },
    progress: { unit() {}, metrics() {} },
    clock: { nowIso: () => "2026-01-01T00:00:00.000Z" },
    resume,
  });
}

async function eventsOf(log: EventLog): Promise<MmzeroEvent[]> {
  const events: MmzeroEvent[] = [];
  for await (const recorded of log.read()) events.push(recorded.event);
  return events;
}

/**
 * Each event's id, type and payload; anchors' chain heads are left out, since the cut log's chain
 * also runs through its RunFailed.
 */
function content(events: readonly MmzeroEvent[]): string[] {
  return events
    .filter((event) => event.type !== "RunFailed")
    .map((event) => {
      const { logChainHead: _chain, ...payload } = { logChainHead: null, ...event.payload };
      return canonicalJson([event.id, event.type, payload]);
    });
}

/** Scripted services whose policies fail on the `failAt`-th sampling call. */
function failingAt(failAt: number): LoopServices {
  let calls = 0;
  return {
    ...scriptedServices,
    async generate(role, policy, requests) {
      calls += 1;
      if (calls === failAt) throw new Error(`scripted failure on sampling call ${failAt}`);
      return scriptedServices.generate(role, policy, requests);
    },
  };
}

describe("resume of a run cut inside a unit", () => {
  test("gives the events of an uninterrupted run, wherever the cut falls", async () => {
    const reference = openMemoryLog(runIdOf(config));
    assert.equal((await walk(reference, scriptedServices, false)).status, "completed");
    const expected = content(await eventsOf(reference));
    let cutInsideUnit = 0;
    for (const failAt of [3, 7, 11, 19, 26]) {
      const log = openMemoryLog(runIdOf(config));
      const cut = await walk(log, failingAt(failAt), false);
      assert.equal(cut.status, "failed", `cut at call ${failAt}`);
      const beforeResume = await eventsOf(log);
      const failed = beforeResume.findIndex((event) => event.type === "RunFailed");
      // A cut inside a unit leaves a sample (not a unit's marker) just before the failure.
      if (/Sampled$|Rendered$|RenderFailed$/.test(beforeResume[failed - 1]!.type)) cutInsideUnit += 1;
      const resumed = await walk(log, scriptedServices, true);
      assert.equal(resumed.status, "completed", resumed.failure?.message);
      assert.deepEqual(content(await eventsOf(log)), expected, `cut at call ${failAt}`);
    }
    assert.ok(cutInsideUnit >= 2, `only ${cutInsideUnit} cuts fell inside a unit`);
  });
});
