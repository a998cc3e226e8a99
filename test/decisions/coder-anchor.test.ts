// Goal: with `coder.solvabilityAnchor: "consensus"` the loop pays each Coder rollout's solvability
// against the unique majority of the Solver's easy answers pooled over the rendered rollouts of the same
// proposal in the same step, and nothing else changes: failed renders and d score as in the release.
// Method: the real loop driven by scripted services (test/rescore/scripted-run.ts) records a run under
// the consensus anchor; each recorded Coder reward is checked against the anchor derived here from the
// sample graph, and against what the release would have paid, which must differ somewhere.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { coderOutcome, SampleGraph } from "../../src/decisions/index.ts";
import type { EventOf } from "../../src/events/index.ts";
import { resolveRewardConfig, scoreCoder, solvability, uniqueMajority } from "../../src/rewards/index.ts";
import { recordScriptedRun } from "../rescore/scripted-run.ts";

describe("the Coder's consensus anchor in the loop", () => {
  test("each recorded solvability counts against its step-and-proposal group's unique majority", async () => {
    const rewards = resolveRewardConfig({ preset: "release", coder: { solvabilityAnchor: "consensus" } });
    const release = resolveRewardConfig("release");
    const run = await recordScriptedRun({ rewardConfig: rewards });
    const graph = SampleGraph.of(run.events);
    const recorded = new Map(
      run.events
        .filter((event): event is EventOf<"RewardScored"> => event.type === "RewardScored")
        .map((event) => [event.payload.sampleId, event.payload]),
    );
    let checked = 0;
    let differsFromRelease = 0;
    for (const iteration of graph.iterations()) {
      for (let step = 0; ; step += 1) {
        const codes = graph.codesAt({ iteration, phase: "coder", step, purpose: "rollout" });
        if (codes.length === 0) break;
        for (const code of codes) {
          const { outcome, easyAnswer } = coderOutcome(graph, code);
          const reward = recorded.get(code.id);
          assert.ok(reward !== undefined, `no reward for ${code.id}`);
          const releaseTotal = scoreCoder(outcome, easyAnswer, release).total;
          if (outcome.kind !== "rendered") {
            assert.equal(reward.total, releaseTotal, "a failed render scores as in the release");
            continue;
          }
          const pooled = codes
            .filter((peer) => peer.payload.proposalId === code.payload.proposalId)
            .flatMap((peer) => {
              const peerOutcome = coderOutcome(graph, peer).outcome;
              return peerOutcome.kind === "rendered" ? peerOutcome.easyAnswers : [];
            });
          const expected = solvability(outcome.easyAnswers, uniqueMajority(pooled));
          assert.equal(reward.components.solvability, expected, code.id);
          checked += 1;
          if (reward.total !== releaseTotal) differsFromRelease += 1;
        }
      }
    }
    assert.ok(checked > 10, `only ${checked} rendered Coder rollouts`);
    assert.ok(differsFromRelease > 0, "the anchor never changed a reward: the check proves nothing");
  });
});
