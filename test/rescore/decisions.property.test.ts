// Goal: the loop and rescore take every decision in one place (src/decisions). For random scripted
// runs: rescoring under the run's own configuration gives back exactly the recorded decisions
// (every RewardScored, GroupScored and DatasetBuilt); rescoring under another configuration gives
// exactly what the loop records when it runs with that configuration on the same samples.
// Method: fast-check draws a seed and two reward/GRPO configurations that differ in scoring and
// filtering fields only (sampling fields are what rescore refuses). Run A is the real loop driven by
// scripted services; run B is the real loop under configuration B whose policies answer from A's
// log by sample key (the replay's services), so both runs hold the same samples wherever B asks for
// what A drew. Event ids differ between runs (policy versions are part of them), so events are
// compared by their logical sample keys. B's Coder (Solver) steps draw other samples than A's when
// B keeps other Coder prompts (Solver items): those steps are compared only when the kept sets agree.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import type { LoopServices } from "../../src/actors/index.ts";
import { SampleGraph } from "../../src/decisions/index.ts";
import { canonicalJson, type EventOf, type MmzeroEvent, type PolicyRole } from "../../src/events/index.ts";
import { recordedGenerations } from "../../src/replay/index.ts";
import { decideFilters, rescoreGroups, rescoreRewards, rescoreRun } from "../../src/rescore/index.ts";
import {
  type GrpoConfig,
  type RewardConfig,
  resolveGrpoConfig,
  resolveRewardConfig,
} from "../../src/rewards/index.ts";
import { recordScriptedRun, type ScriptedRun, scriptedServices } from "./scripted-run.ts";

/** Each event's logical identity across runs: sample keys, and a render by its code's key. */
function logicalKeys(events: readonly MmzeroEvent[]): Map<string, string> {
  const keys = new Map<string, string>();
  for (const event of events) {
    switch (event.type) {
      case "ProposalSampled":
      case "CodeSampled":
      case "AnswersSampled":
        keys.set(event.id, `${event.type}:${event.payload.sampleKey}`);
        break;
      case "ImageRendered":
      case "RenderFailed":
        keys.set(event.id, `render:${keys.get(event.payload.codeId)}`);
        break;
      default:
        break;
    }
  }
  return keys;
}

/** A value with every event id it holds replaced by that event's logical key. */
function byKeys(value: unknown, keys: ReadonlyMap<string, string>): unknown {
  if (typeof value === "string") return keys.get(value) ?? value;
  if (Array.isArray(value)) return value.map((item) => byKeys(item, keys));
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, byKeys(item, keys)]));
  return value;
}

/** A value as the log holds it: canonical JSON (numbers as written, so -0 is 0); maps by key. */
function asLogged(value: unknown): unknown {
  const plain = value instanceof Map ? Object.fromEntries(value) : value;
  return JSON.parse(canonicalJson(plain));
}

function ofType<Type extends MmzeroEvent["type"]>(
  events: readonly MmzeroEvent[],
  type: Type,
): EventOf<Type>[] {
  return events.filter((event): event is EventOf<Type> => event.type === type);
}

/** Policies that answer from run A's log by sample key, and draw afresh only what A never drew. */
function servicesFrom(run: ScriptedRun): LoopServices {
  const recorded = recordedGenerations(run.recorded);
  return {
    render: scriptedServices.render,
    update: scriptedServices.update,
    async generate(role, policy, requests) {
      const fresh = await scriptedServices.generate(role, policy, requests);
      return requests.map(
        (request, index) => recorded.get(`${role}|${String(request.key.at(-1))}`) ?? fresh[index]!,
      );
    },
  };
}

const band = fc
  .tuple(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 }))
  .map(([left, right]) => ({ minimum: Math.min(left, right) / 10, maximum: Math.max(left, right) / 10 }));

/** A reward configuration that differs from `release` in scoring and filtering fields only. */
const rewardConfig: fc.Arbitrary<RewardConfig> = fc
  .record({
    difficultyShape: fc.constantFrom("min" as const, "r-zero" as const),
    combination: fc.constantFrom("additive" as const, "gated-on-easy" as const),
    trivialHardPenalty: fc.integer({ min: 0, max: 10 }).map((value) => value / 10),
    contentTypeSpreadWeight: fc.integer({ min: 0, max: 5 }).map((value) => value / 10),
    rewardFloor: fc.integer({ min: -10, max: 0 }).map((value) => value / 10),
    solvabilityAnchor: fc.constantFrom("proposer" as const, "consensus" as const),
    formatWeight: fc.integer({ min: 0, max: 5 }).map((value) => value / 10),
    coderRenderRateBand: band,
    hardConsistencyBand: band,
    minimumEasyConsistency: fc.integer({ min: 0, max: 10 }).map((value) => value / 10),
    requireMajorityLabel: fc.boolean(),
  })
  .map((drawn) =>
    resolveRewardConfig({
      judging: { difficultyShape: drawn.difficultyShape },
      proposer: {
        combination: drawn.combination,
        trivialHardPenalty: drawn.trivialHardPenalty,
        contentTypeSpreadWeight: drawn.contentTypeSpreadWeight,
      },
      coder: { rewardFloor: drawn.rewardFloor, solvabilityAnchor: drawn.solvabilityAnchor },
      solver: { formatWeight: drawn.formatWeight },
      filters: {
        coderRenderRateBand: drawn.coderRenderRateBand,
        hardConsistencyBand: drawn.hardConsistencyBand,
        minimumEasyConsistency: drawn.minimumEasyConsistency,
        requireMajorityLabel: drawn.requireMajorityLabel,
      },
    }),
  );

const grpoConfig: fc.Arbitrary<GrpoConfig> = fc
  .constantFrom("release" as const, "dr-grpo" as const, "dapo" as const)
  .map((preset) => resolveGrpoConfig(preset));

/** Rewards by logical sample key (and response position), restricted to the given steps. */
function rewardsByKey(
  entries: readonly { role: PolicyRole; iteration: number; step: number; key: string; value: unknown }[],
  comparable: (role: PolicyRole, iteration: number) => boolean,
): Map<string, unknown> {
  return new Map(
    entries
      .filter((entry) => comparable(entry.role, entry.iteration))
      .map((entry) => [entry.key, entry.value]),
  );
}

describe("one decision core: rescore is the loop's decisions", () => {
  test("under the recorded configuration rescore reproduces every recorded decision", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 8 }),
        rewardConfig,
        grpoConfig,
        async (seed, rewards, grpo) => {
          const run = await recordScriptedRun({ seed, rewardConfig: rewards, grpoConfig: grpo });
          const report = rescoreRun({ events: run.events, recorded: run, rewards });
          assert.ok(report.baseline.samples > 0);
          assert.equal(report.baseline.samplesReproduced, report.baseline.samples);
          assert.equal(report.baseline.groupsReproduced, report.baseline.groups);
          assert.ok(report.baseline.coderPromptsReproduced);
          assert.ok(report.baseline.solverDatasetReproduced);
          assert.ok(report.baseline.configHashMatchesLog);
        },
      ),
      { numRuns: 6 },
    );
  });

  test("under another configuration rescore gives what the loop records with it from the same samples", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 8 }),
        rewardConfig,
        rewardConfig,
        grpoConfig,
        grpoConfig,
        async (seed, rewardsA, rewardsB, grpoA, grpoB) => {
          const runA = await recordScriptedRun({ seed, rewardConfig: rewardsA, grpoConfig: grpoA });
          const runB = await recordScriptedRun({
            seed,
            rewardConfig: rewardsB,
            grpoConfig: grpoB,
            services: servicesFrom(runA),
          });
          const keysA = logicalKeys(runA.events);
          const keysB = logicalKeys(runB.events);
          const graph = SampleGraph.of(runA.events);
          const configB = { rewards: rewardsB, grpo: grpoB };

          // Datasets: their inputs are the same samples in both runs, so the decisions must agree.
          const filters = decideFilters(graph, configB);
          const decided = [...filters.coder, ...filters.solver].map((entry) =>
            byKeys(entry.decided.dataset.payload, keysA),
          );
          const datasetsB = ofType(runB.events, "DatasetBuilt");
          assert.deepEqual(
            asLogged(decided),
            asLogged(
              [
                ...datasetsB.filter((dataset) => dataset.payload.phase === "coder"),
                ...datasetsB.filter((dataset) => dataset.payload.phase === "solver"),
              ].map((dataset) => byKeys(dataset.payload, keysB)),
            ),
          );

          // Steps draw the same samples when the phase's kept data is the same in both runs.
          const sameData = (role: PolicyRole, iteration: number): boolean => {
            if (role === "proposer") return true;
            const recorded = graph.dataset(iteration, role);
            const inB = datasetsB.find(
              (dataset) => dataset.payload.iteration === iteration && dataset.payload.phase === role,
            );
            return (
              recorded !== undefined &&
              inB !== undefined &&
              JSON.stringify(byKeys(recorded.payload, keysA)) === JSON.stringify(byKeys(inB.payload, keysB))
            );
          };
          const samples = rescoreRewards(graph, configB);
          const rescored = rewardsByKey(
            samples.map((sample) => ({
              ...sample,
              key: `${keysA.get(sample.sampleId)}#${sample.sample}`,
              value: sample.rescored,
            })),
            sameData,
          );
          const recordedB = rewardsByKey(
            ofType(runB.events, "RewardScored").map((reward) => ({
              ...reward.payload,
              key: `${keysB.get(reward.payload.sampleId)}#${reward.payload.role === "solver" ? reward.payload.sampleIndex : 0}`,
              value: { total: reward.payload.total, components: reward.payload.components },
            })),
            sameData,
          );
          assert.ok(rescored.size > 0);
          assert.deepEqual(asLogged(rescored), asLogged(recordedB));

          const groups = rescoreGroups(graph, samples, { recorded: grpoA, rescored: grpoB });
          const groupsA = new Map(
            groups
              .filter((group) => sameData(group.role, group.iteration))
              .map((group) => [
                group.groupKey,
                { rewards: group.rescored.rewards, advantages: group.rescored.advantages },
              ]),
          );
          const groupsB = new Map(
            ofType(runB.events, "GroupScored")
              .filter((group) => sameData(group.payload.role, group.payload.iteration))
              .map((group) => [
                group.payload.groupKey,
                { rewards: group.payload.rewards, advantages: group.payload.advantages },
              ]),
          );
          assert.deepEqual(asLogged(groupsA), asLogged(groupsB));
        },
      ),
      { numRuns: 4 },
    );
  });
});
