// Goal: the rebuild of every reward's inputs from the log is the loop's own assembly. Rescoring a
// recorded run under the configuration it recorded reproduces every RewardScored (total and
// components) and every GroupScored (rewards and advantages) exactly, for all three roles, and the
// Coder prompts and Solver dataset items the run kept. A log missing an input is reported, not
// silently rescored.
// Method: (1) a real smoke run on a keyed-random test base (its proposals are mostly format-invalid);
// (2) the real loop driven by scripted services (test/rescore/scripted-run.ts), under two reward/GRPO
// preset pairs, whose log has judged images, render failures of every tier, datasets and Solver
// groups. Exact equality (deepEqual on numbers), no tolerance.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runSession } from "../../src/app/index.ts";
import { resolveRunConfig } from "../../src/config/index.ts";
import { SampleGraph } from "../../src/decisions/index.ts";
import type { EventOf, MmzeroEvent } from "../../src/events/index.ts";
import { readRecordedRun } from "../../src/replay/index.ts";
import {
  decideFilters,
  IncompleteLogError,
  rescoreGroups,
  rescoreRewards,
  rescoreRun,
} from "../../src/rescore/index.ts";
import type { GrpoConfig, RewardConfig } from "../../src/rewards/index.ts";
import { smokeOverrides, writeTestBase } from "../support/loop-fixture.ts";
import { makeTempDir, type TempDir } from "../support/temp-dir.ts";
import { recordScriptedRun, renderedJudgeCount } from "./scripted-run.ts";

function ofType<Type extends MmzeroEvent["type"]>(
  events: readonly MmzeroEvent[],
  type: Type,
): EventOf<Type>[] {
  return events.filter((event): event is EventOf<Type> => event.type === type);
}

/** Asserts the exact reproduction of every recorded score, group and kept data item. */
function assertReproduces(events: readonly MmzeroEvent[], rewards: RewardConfig, grpo: GrpoConfig): void {
  const graph = SampleGraph.of(events);
  const samples = rescoreRewards(graph, { rewards, grpo });
  const recordedRewards = ofType(events, "RewardScored");
  assert.equal(samples.length, recordedRewards.length);
  samples.forEach((sample, position) => {
    const recorded = recordedRewards[position]!.payload;
    assert.equal(sample.rescored.total, recorded.total, `${sample.role} sample ${sample.sampleId}`);
    assert.deepEqual(
      sample.rescored.components,
      recorded.components,
      `${sample.role} sample ${sample.sampleId}`,
    );
  });
  const groups = rescoreGroups(graph, samples, { recorded: grpo, rescored: grpo });
  const recordedGroups = ofType(events, "GroupScored");
  assert.equal(groups.length, recordedGroups.length);
  groups.forEach((group, position) => {
    const recorded = recordedGroups[position]!.payload;
    assert.deepEqual(group.rescored.rewards, recorded.rewards, group.groupKey);
    assert.deepEqual(group.rescored.advantages, recorded.advantages, group.groupKey);
  });
  const datasets = ofType(events, "DatasetBuilt");
  const filters = decideFilters(graph, { rewards, grpo });
  assert.deepEqual(
    [...filters.coder, ...filters.solver].map((entry) => entry.decided.dataset.payload),
    [
      ...datasets.filter((dataset) => dataset.payload.phase === "coder"),
      ...datasets.filter((dataset) => dataset.payload.phase === "solver"),
    ].map((dataset) => dataset.payload),
  );
  const report = rescoreRun({ events, recorded: { rewards, grpo }, rewards });
  assert.equal(report.baseline.samplesReproduced, report.baseline.samples);
  assert.equal(report.baseline.groupsReproduced, report.baseline.groups);
  assert.ok(report.baseline.configHashMatchesLog);
  for (const role of report.roles) {
    assert.equal(role.changedSamples.length, 0, role.role);
    assert.equal(role.rewards.meanShift ?? 0, 0, role.role);
    assert.equal(role.groups.signChanged, 0, role.role);
  }
}

describe("rescoring under the recorded configuration", () => {
  let workspace: TempDir;

  before(async () => {
    workspace = await makeTempDir("rescore-identity");
  });
  after(async () => {
    await workspace[Symbol.asyncDispose]();
  });

  test("reproduces a real smoke run on a keyed-random base exactly", async () => {
    const config = resolveRunConfig("smoke", smokeOverrides(await writeTestBase(workspace.path)));
    const directory = join(workspace.path, "smoke");
    const result = await runSession({
      config,
      outDir: directory,
      resume: false,
      progress: { unit() {}, metrics() {} },
      clock: { nowIso: () => "2026-01-01T00:00:00.000Z" },
    });
    assert.equal(result.status, "completed", result.failure?.message);
    const run = await readRecordedRun(directory);
    const events = run.events.map((recorded) => recorded.event);
    assert.ok(ofType(events, "RewardScored").length > 0);
    assertReproduces(events, run.rewards, run.grpo);
  });

  for (const [rewardPreset, grpoPreset] of [
    ["release", "release"],
    ["r-zero-difficulty", "dr-grpo"],
  ] as const) {
    test(`reproduces a scripted run (${rewardPreset} rewards, ${grpoPreset} GRPO) exactly, all three roles`, async () => {
      const run = await recordScriptedRun({ rewards: rewardPreset, grpo: grpoPreset });
      const rewards = ofType(run.events, "RewardScored");
      // The log must exercise every rebuild path, or exact reproduction would prove little.
      for (const role of ["proposer", "coder", "solver"] as const)
        assert.ok(
          rewards.some((reward) => reward.payload.role === role),
          `no ${role} rewards`,
        );
      const proposer = rewards.filter((reward) => reward.payload.role === "proposer");
      assert.ok(proposer.some((reward) => reward.payload.components.formatValid === 0));
      const graph = SampleGraph.of(run.events);
      assert.ok(proposer.some((reward) => renderedJudgeCount(graph, reward.payload.sampleId) > 0));
      assert.ok(proposer.some((reward) => (reward.payload.components.trivialHardPenalty ?? 0) < 0));
      assert.ok(proposer.some((reward) => (reward.payload.components.contentTypePenalty ?? 0) < 0));
      assert.ok(proposer.some((reward) => (reward.payload.components.diversity ?? 0) !== 0));
      const coder = rewards.filter((reward) => reward.payload.role === "coder");
      assert.ok(coder.some((reward) => reward.payload.components.rendered === 1));
      assert.ok(coder.some((reward) => reward.payload.components.codeExtracted === 0));
      assert.ok(coder.some((reward) => reward.payload.components.svgLike === 0));
      assert.ok(
        coder.some(
          (reward) => reward.payload.components.rendered === 0 && reward.payload.components.svgLike === 1,
        ),
      );
      const datasets = ofType(run.events, "DatasetBuilt");
      assert.ok(datasets.some((dataset) => dataset.payload.items.length > 0));
      assert.ok(datasets.some((dataset) => dataset.payload.funnel.evaluated > dataset.payload.funnel.kept));
      assertReproduces(run.events, run.rewards, run.grpo);
    });
  }

  test("a log missing a reward's input is reported; a missing judge answer shows in the baseline", async () => {
    const run = await recordScriptedRun();
    const coderReward = ofType(run.events, "RewardScored").find((reward) => reward.payload.role === "coder")!;
    const withoutCode = run.events.filter((event) => event.id !== coderReward.payload.sampleId);
    assert.throws(
      () => rescoreRun({ events: withoutCode, recorded: run, rewards: run.rewards }),
      (error: unknown) => error instanceof IncompleteLogError && error.message.includes("CodeSampled"),
    );
    // The loop treats an image without both answer sets as a failed render; rescoring mirrors it, so a
    // lost answer event changes that proposal's reward and the baseline check says so.
    const judgeAnswer = ofType(run.events, "AnswersSampled").find(
      (answers) => answers.payload.phase === "proposer" && answers.payload.purpose === "judge",
    )!;
    const withoutAnswer = run.events.filter((event) => event.id !== judgeAnswer.id);
    const report = rescoreRun({ events: withoutAnswer, recorded: run, rewards: run.rewards });
    assert.ok(report.baseline.samplesReproduced < report.baseline.samples);
  });
});
