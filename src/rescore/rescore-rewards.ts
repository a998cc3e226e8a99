/**
 * Every recorded reward decided again under a configuration: each recorded step is scored by the
 * loop's own decision (src/decisions) over the recorded samples, and matched to what the log holds.
 */
import {
  type DecisionConfig,
  IncompleteLogError,
  type SampleGraph,
  type StepPosition,
  scoreCoderStep,
  scoreProposerStep,
  scoreSolverStep,
} from "../decisions/index.ts";
import type { EventOf, EventSpec, PolicyRole } from "../events/index.ts";

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

/** The position of the scored output inside its sample event: a Solver answer set holds many; others one. */
function positionOf(payload: EventOf<"RewardScored">["payload"]): number {
  return payload.role === "solver" ? payload.sampleIndex : 0;
}

const sampleType = { proposer: "ProposalSampled", coder: "CodeSampled", solver: "AnswersSampled" } as const;

const scoreStep: Record<
  PolicyRole,
  (
    graph: SampleGraph,
    position: StepPosition,
    config: DecisionConfig,
  ) => {
    readonly events: readonly EventSpec<"RewardScored">[];
  }
> = { proposer: scoreProposerStep, coder: scoreCoderStep, solver: scoreSolverStep };

/** Every RewardScored of the log, in log order, with its reward decided under `config`. */
export function rescoreRewards(graph: SampleGraph, config: DecisionConfig): RescoredSample[] {
  const recorded = graph.rewards();
  const decided = new Map<string, RewardValue>();
  const steps = new Set<string>();
  for (const reward of recorded) {
    const { role, iteration, step } = reward.payload;
    const stepKey = `${role}/${iteration}/${step}`;
    if (steps.has(stepKey)) continue;
    steps.add(stepKey);
    for (const event of scoreStep[role](graph, { iteration, step }, config).events) {
      const { sampleId, total, components } = event.payload;
      decided.set(sampleKey(sampleId, positionOf(event.payload)), { total, components });
    }
  }
  return recorded.map((reward) => {
    const { role, iteration, step, sampleId, total, components } = reward.payload;
    const sample = positionOf(reward.payload);
    const rescored = decided.get(sampleKey(sampleId, sample));
    if (rescored === undefined)
      throw new IncompleteLogError(
        `${role} reward ${reward.id}`,
        `${sampleType[role]} ${sampleId} is not in the log`,
      );
    return { role, iteration, step, sampleId, sample, recorded: { total, components }, rescored };
  });
}
