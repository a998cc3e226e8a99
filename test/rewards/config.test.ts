// Goal: the reward and GRPO configurations validate every field, default to the release, and resolve
// presets and overrides. Method: examples of each preset, override and invalid field; a JSON round trip.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  decodeGrpoConfig,
  decodeRewardConfig,
  grpoPresetNames,
  InvalidConfigError,
  type RewardPresetName,
  resolveGrpoConfig,
  resolveRewardConfig,
  rewardPresetNames,
} from "../../src/rewards/index.ts";

describe("resolveRewardConfig", () => {
  test("the default is the release: K 4, M 5, cap 0.5, thresholds and penalties of the reference", () => {
    const config = resolveRewardConfig();
    assert.deepEqual(config, resolveRewardConfig("release"));
    assert.equal(config.judging.codeSamplesPerProposal, 4);
    assert.equal(config.judging.solverSamplesPerImage, 5);
    assert.equal(config.judging.difficultyShape, "min");
    assert.equal(config.judging.judgeCoderPhaseWithPreviousCoder, false);
    assert.deepEqual(
      [
        config.proposer.solvabilityCap,
        config.proposer.trivialHardThreshold,
        config.proposer.trivialHardPenalty,
      ],
      [0.5, 0.15, 0.3],
    );
    assert.equal(config.proposer.combination, "additive");
    assert.deepEqual(config.proposer.diversity, {
      weight: 0.5,
      distanceThreshold: 0.25,
      captionWeight: 0.45,
      easyQuestionWeight: 0.2,
      hardQuestionWeight: 0.35,
      bleuMaxOrder: 4,
      bleuSmoothingEpsilon: 0.1,
    });
    assert.deepEqual(config.filters.coderRenderRateBand, { minimum: 0.25, maximum: 0.75 });
    assert.deepEqual(config.solver, { accuracyWeight: 0.9, formatWeight: 0.1 });
  });
  test("presets change only their named switches", () => {
    const release = resolveRewardConfig("release");
    const changes: Record<RewardPresetName, unknown> = {
      release,
      "release-coder-judge": {
        ...release,
        judging: { ...release.judging, judgeCoderPhaseWithPreviousCoder: true },
      },
      "gated-on-easy": { ...release, proposer: { ...release.proposer, combination: "gated-on-easy" } },
      "r-zero-difficulty": {
        ...release,
        judging: { ...release.judging, difficultyShape: "r-zero" },
        proposer: { ...release.proposer, trivialHardThreshold: 0.3 },
      },
      learning: {
        ...release,
        filters: {
          ...release.filters,
          easyReplayRatio: 0.5,
          coderRenderRateBand: { minimum: 0.25, maximum: 1 },
        },
      },
      "learning-agreement": {
        ...release,
        filters: {
          ...release.filters,
          easyReplayRatio: 0.5,
          coderRenderRateBand: { minimum: 0.25, maximum: 1 },
          requireProposerAgreement: true,
        },
      },
    };
    for (const name of rewardPresetNames) assert.deepEqual(resolveRewardConfig(name), changes[name], name);
  });
  test("overrides lay over the release, or over a named preset", () => {
    const config = resolveRewardConfig({ proposer: { solvabilityCap: 0.6 } });
    assert.equal(config.proposer.solvabilityCap, 0.6);
    assert.equal(config.proposer.trivialHardPenalty, 0.3);
    const gated = resolveRewardConfig({ preset: "gated-on-easy", proposer: { easyGateThreshold: 0.4 } });
    assert.deepEqual([gated.proposer.combination, gated.proposer.easyGateThreshold], ["gated-on-easy", 0.4]);
  });
  test("invalid values, typos and unknown presets throw InvalidConfigError naming the field", () => {
    const invalid: readonly unknown[] = [
      { proposer: { solvabilityCap: 1.5 } },
      { judging: { codeSamplesPerProposal: 0 } },
      { judging: { solverSamplesPerImage: 2.5 } },
      { judging: { difficultyShape: "square" } },
      { filters: { hardConsistencyBand: { minimum: 0.8, maximum: 0.2 } } },
      { proposer: { contentTypeShareThreshold: 1 } },
      { proposer: { diversity: { bleuSmoothingEpsilon: 0 } } },
      { proposer: { solvabilityKap: 0.5 } },
    ];
    for (const overrides of invalid) {
      // @ts-expect-error: deliberately invalid input, as a config file could hold
      assert.throws(() => resolveRewardConfig(overrides), InvalidConfigError, JSON.stringify(overrides));
    }
    // @ts-expect-error: an unknown preset name
    assert.throws(() => resolveRewardConfig("paper"), /unknown preset "paper"/);
    assert.throws(() => resolveRewardConfig({ proposer: { solvabilityCap: 2 } }), /solvabilityCap/);
  });
  test("a configuration survives a JSON round trip through decodeRewardConfig", () => {
    for (const name of rewardPresetNames) {
      const config = resolveRewardConfig(name);
      assert.deepEqual(decodeRewardConfig(JSON.parse(JSON.stringify(config))), config);
    }
  });
});

describe("resolveGrpoConfig", () => {
  test("release: std scaling, clip [0.8, 1.3], dual 3, k3 KL 0.01 clamped at 10, token mean", () => {
    assert.deepEqual(resolveGrpoConfig(), {
      advantage: { scaleByStandardDeviation: true, epsilon: 1e-6 },
      dynamicSampling: false,
      clip: { low: 0.2, high: 0.3, dual: 3 },
      kl: { coefficient: 0.01, clampMaximum: 10 },
      aggregation: { mode: "token-mean", constantNormaliserTokens: 512 },
    });
  });
  test("dr-grpo: no std scaling, sequence sum over a constant; dapo: clip-higher 0.28, dynamic sampling, no KL", () => {
    const drGrpo = resolveGrpoConfig("dr-grpo");
    assert.equal(drGrpo.advantage.scaleByStandardDeviation, false);
    assert.equal(drGrpo.aggregation.mode, "sequence-sum-constant-normaliser");
    const dapo = resolveGrpoConfig("dapo");
    assert.deepEqual(
      [dapo.clip.low, dapo.clip.high, dapo.dynamicSampling, dapo.kl.coefficient],
      [0.2, 0.28, true, 0],
    );
    assert.equal(dapo.aggregation.mode, "token-mean");
  });
  test("overrides, validation and round trip", () => {
    const config = resolveGrpoConfig({ preset: "dr-grpo", aggregation: { constantNormaliserTokens: 64 } });
    assert.equal(config.aggregation.constantNormaliserTokens, 64);
    assert.throws(() => resolveGrpoConfig({ clip: { low: 1 } }), InvalidConfigError);
    assert.throws(() => resolveGrpoConfig({ clip: { dual: 0.5 } }), InvalidConfigError);
    assert.throws(() => resolveGrpoConfig({ advantage: { epsilon: 0 } }), InvalidConfigError);
    for (const name of grpoPresetNames) {
      assert.deepEqual(
        decodeGrpoConfig(JSON.parse(JSON.stringify(resolveGrpoConfig(name)))),
        resolveGrpoConfig(name),
      );
    }
  });
});
