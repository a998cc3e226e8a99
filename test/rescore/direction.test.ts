// Goal: a configuration change moves exactly the rewards, groups and data items it should, in the
// direction it should, and nothing else: a larger trivial-hard penalty lowers only the proposals whose
// mean difficulty is under the threshold, by the penalty's difference; a larger Solver format weight
// raises only well-formatted responses; a wider (narrower) band only adds (drops) data items; Dr.
// GRPO's unscaled advantages never flip a sign; DAPO drops exactly the uninformative groups; fields
// that change what is sampled are refused.
// Method: one scripted run of the real loop (test/rescore/scripted-run.ts) under `release`, rescored
// under hand-made variants; each expectation is checked sample by sample against the rebuilt
// components, and each test first asserts that the case it is about occurs in the log.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { formatRescoreSummary } from "../../src/cli/ui/rescore-summary.ts";
import { SampleGraph } from "../../src/decisions/index.ts";
import {
  configChanges,
  decideFilters,
  NotRescorableConfigError,
  type RescoreReport,
  rescoreGroups,
  rescoreRewards,
  rescoreRun,
} from "../../src/rescore/index.ts";
import {
  type RewardConfig,
  type RewardConfigOverrides,
  resolveGrpoConfig,
  resolveRewardConfig,
} from "../../src/rewards/index.ts";
import { recordScriptedRun, renderedJudgeCount, type ScriptedRun } from "./scripted-run.ts";

const closeTo = (actual: number, expected: number) => Math.abs(actual - expected) < 1e-12;

describe("rescoring under another configuration", () => {
  let run: ScriptedRun;

  before(async () => {
    run = await recordScriptedRun();
  });

  function rescore(overrides: RewardConfigOverrides): { config: RewardConfig; report: RescoreReport } {
    const config = resolveRewardConfig(overrides);
    return { config, report: rescoreRun({ events: run.events, recorded: run, rewards: config }) };
  }

  function roleOf(report: RescoreReport, role: "proposer" | "coder" | "solver") {
    return report.roles.find((comparison) => comparison.role === role)!;
  }

  test("a larger trivial-hard penalty lowers exactly the proposals under the difficulty threshold", () => {
    const threshold = run.rewards.proposer.trivialHardThreshold;
    const increase = 0.3;
    const config = resolveRewardConfig({
      proposer: { trivialHardPenalty: run.rewards.proposer.trivialHardPenalty + increase },
    });
    const graph = SampleGraph.of(run.events);
    const samples = rescoreRewards(graph, { rewards: config, grpo: run.grpo }).filter(
      (sample) => sample.role === "proposer",
    );
    const isTrivial = (sample: (typeof samples)[number]) =>
      renderedJudgeCount(graph, sample.sampleId) > 0 &&
      (sample.rescored.components.meanDifficulty ?? 1) < threshold;
    const trivial = samples.filter(isTrivial);
    assert.ok(trivial.length > 0 && trivial.length < samples.length, "the log needs both kinds of proposal");
    for (const sample of samples) {
      if (isTrivial(sample)) {
        assert.ok(closeTo(sample.rescored.total, sample.recorded.total - increase), sample.sampleId);
      } else {
        assert.equal(sample.rescored.total, sample.recorded.total, sample.sampleId);
      }
    }
    const report = rescoreRun({ events: run.events, recorded: run, rewards: config });
    const proposer = roleOf(report, "proposer");
    assert.equal(proposer.changedSamples.length, trivial.length);
    assert.ok(closeTo(proposer.rewards.meanShift!, (-increase * trivial.length) / samples.length));
    assert.equal(roleOf(report, "coder").changedSamples.length, 0);
    assert.equal(roleOf(report, "solver").changedSamples.length, 0);
    assert.deepEqual(
      report.rewardConfig.changes.map((change) => change.path),
      ["proposer.trivialHardPenalty"],
    );
  });

  test("a larger Solver format weight raises exactly the well-formatted responses", () => {
    const { report } = rescore({ solver: { formatWeight: 0.5 } });
    const samples = rescoreRewards(SampleGraph.of(run.events), {
      rewards: resolveRewardConfig({ solver: { formatWeight: 0.5 } }),
      grpo: run.grpo,
    }).filter((sample) => sample.role === "solver");
    const formatted = samples.filter((sample) => sample.rescored.components.formatOk === 1);
    assert.ok(
      formatted.length > 0 && formatted.length < samples.length,
      "the log needs both kinds of response",
    );
    for (const sample of samples) {
      const expected = sample.recorded.total + (sample.rescored.components.formatOk === 1 ? 0.4 : 0);
      assert.ok(closeTo(sample.rescored.total, expected), sample.sampleId);
    }
    assert.equal(roleOf(report, "solver").changedSamples.length, formatted.length);
    assert.equal(roleOf(report, "proposer").changedSamples.length, 0);
  });

  test("a wider hard-consistency band only adds Solver items, a narrower one only drops them", () => {
    const wider = rescore({ filters: { hardConsistencyBand: { minimum: 0.1, maximum: 0.9 } } }).report;
    const added = wider.solverDataset.flatMap((comparison) => comparison.filteredIn);
    assert.ok(added.length > 0, "the wider band must admit an item the recorded one rejected");
    for (const comparison of wider.solverDataset) {
      assert.equal(comparison.filteredOut.length, 0);
      assert.equal(comparison.keptAfter, comparison.keptBefore + comparison.filteredIn.length);
    }
    for (const item of added) assert.match(item.rejection ?? "", /^hard-too-/);
    assert.equal(roleOf(wider, "solver").groups.onFilteredOutData.length, 0);

    const narrower = rescore({ filters: { hardConsistencyBand: { minimum: 0.5, maximum: 0.5 } } }).report;
    const dropped = narrower.solverDataset.flatMap((comparison) => comparison.filteredOut);
    assert.ok(dropped.length > 0);
    assert.equal(narrower.solverDataset.flatMap((comparison) => comparison.filteredIn).length, 0);
    const droppedImages = new Set(dropped.map((item) => item.imageId));
    const graph = SampleGraph.of(run.events);
    const groupsOnDropped = rescoreGroups(graph, rescoreRewards(graph, run), {
      recorded: run.grpo,
      rescored: run.grpo,
    }).filter((group) => group.role === "solver" && droppedImages.has(group.promptId ?? ""));
    assert.deepEqual(
      roleOf(narrower, "solver").groups.onFilteredOutData,
      groupsOnDropped.map((group) => group.groupKey),
    );
  });

  test("a narrower Coder render-rate band drops exactly the prompts whose rate leaves it", () => {
    const band = { minimum: 0.5, maximum: 0.5 };
    const { config, report } = rescore({ filters: { coderRenderRateBand: band } });
    const rates = new Map(
      decideFilters(SampleGraph.of(run.events), { rewards: config, grpo: run.grpo }).coder.flatMap((entry) =>
        entry.decided.candidates.map((candidate) => [candidate.proposalId, candidate.decision.renderRate]),
      ),
    );
    const dropped = report.coderPrompts.flatMap((comparison) => comparison.filteredOut);
    assert.ok(dropped.length > 0);
    for (const id of dropped) assert.notEqual(rates.get(id), 0.5);
    for (const comparison of report.coderPrompts) {
      assert.equal(comparison.filteredIn.length, 0);
      assert.equal(comparison.keptAfter, comparison.keptBefore - comparison.filteredOut.length);
    }
    assert.ok(roleOf(report, "coder").groups.onFilteredOutData.length > 0);
  });

  test("Dr. GRPO rescales advantages without flipping a sign; DAPO drops exactly the uninformative groups", () => {
    const drGrpo = rescoreRun({
      events: run.events,
      recorded: run,
      rewards: run.rewards,
      grpo: resolveGrpoConfig("dr-grpo"),
    });
    for (const role of drGrpo.roles) {
      assert.equal(role.changedSamples.length, 0);
      assert.equal(role.groups.signChanged, 0, role.role);
      assert.equal(role.groups.meanRankCorrelation, 1);
    }
    assert.ok(
      drGrpo.grpoConfig.changes.some((change) => change.path === "advantage.scaleByStandardDeviation"),
    );

    const dapo = rescoreRun({
      events: run.events,
      recorded: run,
      rewards: run.rewards,
      grpo: resolveGrpoConfig("dapo"),
    });
    const graph = SampleGraph.of(run.events);
    const groups = rescoreGroups(graph, rescoreRewards(graph, run), {
      recorded: run.grpo,
      rescored: run.grpo,
    });
    for (const role of dapo.roles) {
      const uninformative = groups.filter(
        (group) =>
          group.role === role.role &&
          group.recorded.rewards.every((value) => value === group.recorded.rewards[0]),
      );
      assert.equal(role.groups.droppedBefore, 0);
      assert.equal(role.groups.droppedAfter, uninformative.length, role.role);
    }
    assert.ok(
      dapo.roles.some((role) => role.groups.droppedAfter > 0),
      "the log needs an uninformative group",
    );
  });

  test("a configuration that changes what is sampled is refused, naming the fields", () => {
    assert.throws(
      () => rescore({ judging: { codeSamplesPerProposal: 8 }, filters: { solverDatasetSamples: 4 } }),
      (error: unknown) =>
        error instanceof NotRescorableConfigError &&
        error.changes.map((change) => change.path).join() ===
          "filters.solverDatasetSamples,judging.codeSamplesPerProposal",
    );
    assert.throws(() => rescore({ preset: "release-coder-judge" }), NotRescorableConfigError);
  });

  test("config changes list every changed leaf and nothing else", () => {
    assert.deepEqual(configChanges(run.rewards, run.rewards), []);
    const changed = resolveRewardConfig({ preset: "r-zero-difficulty", coder: { rewardFloor: -1 } });
    assert.deepEqual(
      configChanges(run.rewards, changed).map((change) => [change.path, change.recorded, change.requested]),
      [
        ["coder.rewardFloor", -0.5, -1],
        ["judging.difficultyShape", "min", "r-zero"],
        ["proposer.trivialHardThreshold", 0.15, 0.3],
      ],
    );
  });

  test("the readable summary names the change, the baseline, every role and the filters", () => {
    const { report } = rescore({ proposer: { trivialHardPenalty: 0.6 } });
    const summary = formatRescoreSummary(report, "scripted-run");
    assert.match(summary, /proposer\.trivialHardPenalty {2}0\.3 -> 0\.6/);
    assert.match(
      summary,
      /baseline \(recorded config reproduces the log\): (\d+)\/\1 rewards, (\d+)\/\2 groups/,
    );
    assert.match(summary, /same samples, different scoring/);
    for (const role of ["proposer", "coder", "solver"]) assert.match(summary, new RegExp(`^${role} `, "m"));
    const proposer = roleOf(report, "proposer");
    assert.match(
      summary,
      new RegExp(`^proposer +${proposer.samples} +${proposer.changedSamples.length} `, "m"),
    );
    assert.match(summary, /Solver dataset {2}iteration 1:/);
    assert.ok(
      decideFilters(SampleGraph.of(run.events), run).solver.some(
        (entry) => entry.decided.candidates.length > 0,
      ),
    );
  });
});
