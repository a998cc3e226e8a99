/**
 * Every recorded reward recomputed under a reward configuration: the Proposer per step batch (its
 * spread and diversity terms are batch terms), the Coder and the Solver per sample.
 */
import { rewardComponents } from "../actors/loop/reward-components.ts";
import type { EventOf, PolicyRole } from "../events/index.ts";
import { type RewardConfig, scoreCoder, scoreProposerBatch, scoreSolverResponse } from "../rewards/index.ts";
import { coderOutcome, proposerOutcome, solverResponse } from "./rebuild.ts";
import type { RecordedIndex } from "./recorded-index.ts";

export interface RewardValue {
  readonly total: number;
  readonly components: Readonly<Record<string, number>>;
}

/** One scored sample: what the log recorded and what the configuration gives. */
export interface RescoredSample {
  readonly role: PolicyRole;
  readonly iteration: number;
  readonly step: number;
  readonly sampleId: string;
  /** Position within the sample event (a Solver AnswersSampled holds a group's responses); else 0. */
  readonly sample: number;
  readonly recorded: RewardValue;
  readonly rescored: RewardValue;
}

/** A scored sample's identity: its event id and its position inside that event. */
export function sampleKey(sampleId: string, sample: number): string {
  return `${sampleId}#${sample}`;
}

function recordedValue(reward: EventOf<"RewardScored">): RewardValue {
  return { total: reward.payload.total, components: reward.payload.components };
}

/** Proposer rewards batch by batch: one batch per (iteration, step), in the loop's batch order. */
function rescoreProposerBatches(index: RecordedIndex, config: RewardConfig): Map<string, RewardValue> {
  const batches = new Map<string, EventOf<"RewardScored">[]>();
  for (const reward of index.rewards) {
    if (reward.payload.role !== "proposer") continue;
    const key = `${reward.payload.iteration}/${reward.payload.step}`;
    const batch = batches.get(key);
    if (batch === undefined) batches.set(key, [reward]);
    else batch.push(reward);
  }
  const values = new Map<string, RewardValue>();
  for (const batch of batches.values()) {
    const outcomes = batch.map((reward) => proposerOutcome(index, reward.payload.sampleId));
    const scored = scoreProposerBatch(outcomes, config);
    batch.forEach((reward, position) => {
      const value = scored[position]!;
      values.set(reward.id, { total: value.total, components: rewardComponents.proposer(value) });
    });
  }
  return values;
}

function rescoreSingle(
  index: RecordedIndex,
  reward: EventOf<"RewardScored">,
  config: RewardConfig,
): RewardValue {
  if (reward.payload.role === "coder") {
    const { outcome, easyAnswer } = coderOutcome(index, reward.payload.sampleId);
    const value = scoreCoder(outcome, easyAnswer, config);
    return { total: value.total, components: rewardComponents.coder(value) };
  }
  const { response, pseudoLabel, sample } = solverResponse(index, reward);
  const value = scoreSolverResponse(response, pseudoLabel, config);
  return { total: value.total, components: { ...rewardComponents.solver(value), sample } };
}

/** Every RewardScored of the log, in log order, with its reward under `config`. */
export function rescoreRewards(index: RecordedIndex, config: RewardConfig): RescoredSample[] {
  const proposer = rescoreProposerBatches(index, config);
  return index.rewards.map((reward) => {
    const { role, iteration, step, sampleId } = reward.payload;
    const rescored = role === "proposer" ? proposer.get(reward.id)! : rescoreSingle(index, reward, config);
    return {
      role,
      iteration,
      step,
      sampleId,
      sample: role === "solver" ? (reward.payload.components.sample ?? 0) : 0,
      recorded: recordedValue(reward),
      rescored,
    };
  });
}
