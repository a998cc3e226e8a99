import type { EventOf, PayloadOf, PolicyRole } from "../events/index.ts";
import { isInformativeGroup, majorityVote } from "../rewards/index.ts";
import type { Projection, RecordedEvent } from "../store/index.ts";
import { eventIdIndexGet, eventIdIndexSet } from "./event-id-index.ts";
import { answerVerdict, depictionVerdict } from "./oracle-checks.ts";
import { applyRunInfo, emptyRunInfo, type RunInfo } from "./run-info.ts";
import {
  captionOfImage,
  emptySampleIndex,
  type ProposalRecord,
  proposalOfCode,
  type SampleIndex,
  samplePosition,
  withImageUpdate,
} from "./sample-index.ts";
import { countAdd, tallyAdd } from "./statistics.ts";
import {
  emptyUnitMetrics,
  type UnitKey,
  type UnitMetrics,
  withConsistency,
  withReward,
} from "./unit-metrics.ts";

/**
 * The report's fold: one pass over a run's log gives every metric, table and gallery candidate the
 * page shows. Pure (no clock, no randomness, inputs never changed), so the same log always gives the
 * same state, and a live view can keep the state and apply only new events.
 */

export interface UnitEntry {
  readonly key: UnitKey;
  readonly metrics: UnitMetrics;
}

export interface PseudoLabelCounts {
  /** Items whose pseudo-label the oracle could check, and those that are right. */
  readonly checked: number;
  readonly correct: number;
  /** Items the oracle has no answer for (caption or question outside the grammar, or no answer). */
  readonly unknown: number;
}

export interface DatasetRecord {
  readonly iteration: number;
  readonly phase: PolicyRole;
  /** The funnel as the loop recorded it (DatasetBuilt). */
  readonly funnel: PayloadOf<"DatasetBuilt">["funnel"];
  readonly kept: number;
  readonly pseudoLabels: PseudoLabelCounts;
}

export interface ReportState {
  readonly run: RunInfo;
  /** Unit metrics by `unitKeyText`. */
  readonly units: Readonly<Record<string, UnitEntry>>;
  readonly index: SampleIndex;
  readonly datasets: readonly DatasetRecord[];
  readonly benchmarks: readonly PayloadOf<"BenchmarkEvaluated">[];
}

export const emptyReportState: ReportState = {
  run: emptyRunInfo,
  units: {},
  index: emptySampleIndex,
  datasets: [],
  benchmarks: [],
};

export function unitKeyText(key: UnitKey): string {
  return `${key.iteration}/${key.phase}/${key.stage}/${key.step}`;
}

function withUnit(
  state: ReportState,
  key: UnitKey,
  update: (metrics: UnitMetrics) => UnitMetrics,
): ReportState {
  const name = unitKeyText(key);
  const metrics = update(state.units[name]?.metrics ?? emptyUnitMetrics);
  const unitKey: UnitKey = { iteration: key.iteration, phase: key.phase, stage: key.stage, step: key.step };
  return { ...state, units: { ...state.units, [name]: { key: unitKey, metrics } } };
}

function stepUnit(
  payload: { readonly iteration: number; readonly step: number },
  phase: PolicyRole,
): UnitKey {
  return { iteration: payload.iteration, phase, stage: "step", step: payload.step };
}

function applyProposal(state: ReportState, event: EventOf<"ProposalSampled">): ReportState {
  const { payload } = event;
  const proposal = payload.proposal;
  const position = samplePosition(event.seq, payload);
  const record: ProposalRecord = {
    ...position,
    id: event.id,
    topic: payload.topic,
    text: payload.text,
    proposal,
    easyAnswerVerdict:
      proposal === null ? null : answerVerdict(proposal.caption, proposal.easyQuestion, proposal.easyAnswer),
    hardAnswerVerdict:
      proposal === null ? null : answerVerdict(proposal.caption, proposal.hardQuestion, proposal.hardAnswer),
  };
  const indexed = {
    ...state,
    index: { ...state.index, proposals: eventIdIndexSet(state.index.proposals, event.id, record) },
  };
  return withUnit(indexed, position, (metrics) => {
    const counted = { ...metrics, proposals: metrics.proposals + 1 };
    if (proposal === null) return counted;
    const easy = record.easyAnswerVerdict?.verdict ?? "unknown";
    const hard = record.hardAnswerVerdict?.verdict ?? "unknown";
    const oracle = counted.oracle;
    return {
      ...counted,
      validProposals: counted.validProposals + 1,
      contentTypes: countAdd(counted.contentTypes, proposal.contentType),
      oracle: {
        ...oracle,
        easyAnswerChecked: oracle.easyAnswerChecked + (easy === "unknown" ? 0 : 1),
        easyAnswerCorrect: oracle.easyAnswerCorrect + (easy === "correct" ? 1 : 0),
        hardAnswerChecked: oracle.hardAnswerChecked + (hard === "unknown" ? 0 : 1),
        hardAnswerCorrect: oracle.hardAnswerCorrect + (hard === "correct" ? 1 : 0),
      },
    };
  });
}

function applyCode(state: ReportState, event: EventOf<"CodeSampled">): ReportState {
  const { payload } = event;
  const position = samplePosition(event.seq, payload);
  const record = { ...position, id: event.id, proposalId: payload.proposalId, text: payload.text };
  const indexed = {
    ...state,
    index: { ...state.index, codes: eventIdIndexSet(state.index.codes, event.id, record) },
  };
  return withUnit(indexed, position, (metrics) => ({
    ...metrics,
    codes: metrics.codes + 1,
    codeCharacters: metrics.codeCharacters + payload.text.length,
  }));
}

function applyRendered(state: ReportState, event: EventOf<"ImageRendered">): ReportState {
  const { codeId, png, width, height } = event.payload;
  const code = eventIdIndexGet(state.index.codes, codeId);
  // A render of a code sample the log does not hold cannot be placed in a unit or the gallery.
  if (code === undefined) return state;
  const caption = proposalOfCode(state.index, codeId)?.proposal?.caption ?? null;
  const depiction = caption === null ? null : depictionVerdict(caption, code.text);
  const index: SampleIndex = {
    ...state.index,
    renders: eventIdIndexSet(state.index.renders, codeId, {
      kind: "rendered",
      imageId: event.id,
      png,
      width,
      height,
      depiction,
    }),
    images: eventIdIndexSet(state.index.images, event.id, {
      codeId,
      easy: null,
      hard: null,
      datasetItem: null,
    }),
  };
  const verdict = depiction?.verdict ?? "unknown";
  return withUnit({ ...state, index }, code, (metrics) => ({
    ...metrics,
    rendered: metrics.rendered + 1,
    oracle: {
      ...metrics.oracle,
      depictsChecked: metrics.oracle.depictsChecked + (verdict === "unknown" ? 0 : 1),
      depicts: metrics.oracle.depicts + (verdict === "depicts" ? 1 : 0),
    },
  }));
}

function applyRenderFailed(state: ReportState, event: EventOf<"RenderFailed">): ReportState {
  const { codeId, outcome, message } = event.payload;
  const code = eventIdIndexGet(state.index.codes, codeId);
  if (code === undefined) return state;
  const renders = eventIdIndexSet(state.index.renders, codeId, { kind: "failed", outcome, message });
  return withUnit({ ...state, index: { ...state.index, renders } }, code, (metrics) => ({
    ...metrics,
    renderFailures: countAdd(metrics.renderFailures, outcome),
  }));
}

/** Judging and dataset votes (the frozen Solver) shape consistency; GRPO rollouts are scored by their rewards. */
function applyAnswers(state: ReportState, event: EventOf<"AnswersSampled">): ReportState {
  const { payload } = event;
  if (payload.purpose === "rollout") return state;
  const answers = payload.samples.map((sample) => sample.answer);
  const vote = majorityVote(answers);
  const judgement = { answers, label: vote.label, consistency: vote.consistency };
  const index = withImageUpdate(state.index, payload.imageId, (image) => ({
    ...image,
    [payload.question]: judgement,
  }));
  return withUnit({ ...state, index }, samplePosition(event.seq, payload), (metrics) =>
    withConsistency(metrics, payload.question, vote.consistency),
  );
}

function applyReward(state: ReportState, event: EventOf<"RewardScored">): ReportState {
  const { role, sampleId, total, components } = event.payload;
  const rewards =
    role === "solver" ? state.index.rewards : eventIdIndexSet(state.index.rewards, sampleId, { role, total });
  return withUnit(
    { ...state, index: { ...state.index, rewards } },
    stepUnit(event.payload, role),
    (metrics) => withReward(metrics, total, components),
  );
}

function applyGroup(state: ReportState, event: EventOf<"GroupScored">): ReportState {
  const flat = isInformativeGroup(event.payload.rewards) ? 0 : 1;
  return withUnit(state, stepUnit(event.payload, event.payload.role), (metrics) => ({
    ...metrics,
    groups: metrics.groups + 1,
    flatGroups: metrics.flatGroups + flat,
  }));
}

function applyUpdate(state: ReportState, event: EventOf<"PolicyUpdated">): ReportState {
  const { payload } = event;
  return withUnit(state, stepUnit(payload, payload.role), (metrics) => ({
    ...metrics,
    updates: metrics.updates + 1,
    grpo: {
      loss: tallyAdd(metrics.grpo.loss, payload.loss),
      policyLoss: tallyAdd(metrics.grpo.policyLoss, payload.policyLoss),
      kl: tallyAdd(metrics.grpo.kl, payload.kl),
      clipFraction: tallyAdd(metrics.grpo.clipFraction, payload.clipFraction),
      gradNorm: tallyAdd(metrics.grpo.gradNorm, payload.gradNorm),
    },
  }));
}

function applyDataset(state: ReportState, event: EventOf<"DatasetBuilt">): ReportState {
  const { iteration, phase, funnel, items, promptIds } = event.payload;
  let index = state.index;
  for (const id of promptIds) index = { ...index, keptPrompts: eventIdIndexSet(index.keptPrompts, id, true) };
  const counts = { checked: 0, correct: 0, unknown: 0 };
  for (const item of items) {
    const caption = captionOfImage(index, item.imageId);
    const verdict = caption === null ? null : answerVerdict(caption, item.question, item.pseudoLabel);
    const outcome = verdict?.verdict ?? "unknown";
    if (outcome === "unknown") counts.unknown += 1;
    else counts.checked += 1;
    if (outcome === "correct") counts.correct += 1;
    const datasetItem = { question: item.question, pseudoLabel: item.pseudoLabel, verdict };
    index = withImageUpdate(index, item.imageId, (image) => ({ ...image, datasetItem }));
  }
  const record: DatasetRecord = {
    iteration,
    phase,
    funnel,
    kept: phase === "coder" ? promptIds.length : items.length,
    pseudoLabels: counts,
  };
  return { ...state, index, datasets: [...state.datasets, record] };
}

function applySampleEvent(state: ReportState, recorded: RecordedEvent): ReportState {
  const { event } = recorded;
  switch (event.type) {
    case "ProposalSampled":
      return applyProposal(state, event);
    case "CodeSampled":
      return applyCode(state, event);
    case "ImageRendered":
      return applyRendered(state, event);
    case "RenderFailed":
      return applyRenderFailed(state, event);
    case "AnswersSampled":
      return applyAnswers(state, event);
    case "RewardScored":
      return applyReward(state, event);
    case "GroupScored":
      return applyGroup(state, event);
    case "PolicyUpdated":
      return applyUpdate(state, event);
    case "DatasetBuilt":
      return applyDataset(state, event);
    case "BenchmarkEvaluated":
      return { ...state, benchmarks: [...state.benchmarks, event.payload] };
    case "RunStarted":
    case "IterationStarted":
    case "IterationCompleted":
    case "PhaseStarted":
    case "PhaseCompleted":
    case "StepCompleted":
    case "RunCompleted":
    case "RunFailed":
    case "EventRejected":
      return state;
    default: {
      const unknown: never = event;
      throw new Error(`the report does not know event ${JSON.stringify(unknown)}`);
    }
  }
}

export function applyReportEvent(state: ReportState, recorded: RecordedEvent): ReportState {
  return applySampleEvent({ ...state, run: applyRunInfo(state.run, recorded) }, recorded);
}

/** The report's fold as a store Projection (combine it with others by `combineProjections`). */
export const reportProjection: Projection<ReportState> = {
  initial: emptyReportState,
  apply: applyReportEvent,
};
