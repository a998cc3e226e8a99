import { SampleGraph } from "../decisions/index.ts";
import type { EventOf, PayloadOf, PolicyRole } from "../events/index.ts";
import { isInformativeGroup, majorityVote } from "../rewards/index.ts";
import type { RecordedEvent } from "../store/index.ts";
import { type AnswerVerdict, answerVerdict, depictionVerdict } from "./oracle-checks.ts";
import { applyRunInfo, emptyRunInfo, type RunInfo } from "./run-info.ts";
import { samplePosition } from "./sample-position.ts";
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
 * page shows. No clock, no randomness: the same log always gives the same state, and a live view
 * keeps the state and applies only new events. The samples are joined by the decision core's
 * sample graph (src/decisions), the one join the loop, rescore and replay read too; the graph
 * grows in place, so a state is consumed by the next apply (keep the one it returns).
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

/** A Solver dataset item with the oracle's verdict on its pseudo-label (analysis only). */
export interface DatasetItemRecord {
  readonly imageId: string;
  readonly question: string;
  readonly pseudoLabel: string;
  /** Analysis only: is the pseudo-label the true answer (null: no caption behind the image). */
  readonly verdict: AnswerVerdict | null;
}

export interface DatasetRecord {
  readonly iteration: number;
  readonly phase: PolicyRole;
  /** The funnel as the loop recorded it (DatasetBuilt). */
  readonly funnel: PayloadOf<"DatasetBuilt">["funnel"];
  readonly kept: number;
  readonly pseudoLabels: PseudoLabelCounts;
  readonly items: readonly DatasetItemRecord[];
}

export interface ReportState {
  readonly run: RunInfo;
  /** Unit metrics by `unitKeyText`. */
  readonly units: Readonly<Record<string, UnitEntry>>;
  /** The run's samples and what they led to (grown in place by the fold). */
  readonly samples: SampleGraph;
  readonly datasets: readonly DatasetRecord[];
  readonly benchmarks: readonly PayloadOf<"BenchmarkEvaluated">[];
}

/** A fresh state to fold a log into (each fold needs its own: the sample graph grows in place). */
export function emptyReportState(): ReportState {
  return { run: emptyRunInfo, units: {}, samples: new SampleGraph(), datasets: [], benchmarks: [] };
}

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

/** The caption a code sample was written for (null: its proposal is not in the log or did not parse). */
export function captionOfCode(samples: SampleGraph, code: EventOf<"CodeSampled">): string | null {
  return samples.find(code.payload.proposalId, "ProposalSampled")?.payload.proposal?.caption ?? null;
}

/** Analysis only: the oracle's verdicts on the Proposer's own answers (null for an invalid proposal). */
export function proposerAnswerVerdicts(proposal: EventOf<"ProposalSampled">): {
  readonly easy: AnswerVerdict | null;
  readonly hard: AnswerVerdict | null;
} {
  const parsed = proposal.payload.proposal;
  if (parsed === null) return { easy: null, hard: null };
  return {
    easy: answerVerdict(parsed.caption, parsed.easyQuestion, parsed.easyAnswer),
    hard: answerVerdict(parsed.caption, parsed.hardQuestion, parsed.hardAnswer),
  };
}

function applyProposal(state: ReportState, event: EventOf<"ProposalSampled">): ReportState {
  const proposal = event.payload.proposal;
  const verdicts = proposerAnswerVerdicts(event);
  return withUnit(state, samplePosition(event), (metrics) => {
    const counted = { ...metrics, proposals: metrics.proposals + 1 };
    if (proposal === null) return counted;
    const easy = verdicts.easy?.verdict ?? "unknown";
    const hard = verdicts.hard?.verdict ?? "unknown";
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
  return withUnit(state, samplePosition(event), (metrics) => ({
    ...metrics,
    codes: metrics.codes + 1,
    codeCharacters: metrics.codeCharacters + event.payload.text.length,
  }));
}

function applyRendered(state: ReportState, event: EventOf<"ImageRendered">): ReportState {
  const code = state.samples.find(event.payload.codeId, "CodeSampled");
  // A render of a code sample the log does not hold cannot be placed in a unit or the gallery.
  if (code === undefined) return state;
  const caption = captionOfCode(state.samples, code);
  const verdict = caption === null ? "unknown" : depictionVerdict(caption, code.payload.text).verdict;
  return withUnit(state, samplePosition(code), (metrics) => ({
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
  const code = state.samples.find(event.payload.codeId, "CodeSampled");
  if (code === undefined) return state;
  return withUnit(state, samplePosition(code), (metrics) => ({
    ...metrics,
    renderFailures: countAdd(metrics.renderFailures, event.payload.outcome),
  }));
}

/** Judging and dataset votes (the frozen Solver) shape consistency; GRPO rollouts are scored by their rewards. */
function applyAnswers(state: ReportState, event: EventOf<"AnswersSampled">): ReportState {
  const { payload } = event;
  if (payload.purpose === "rollout") return state;
  const vote = majorityVote(payload.samples.map((sample) => sample.answer));
  return withUnit(state, samplePosition(event), (metrics) =>
    withConsistency(metrics, payload.question, vote.consistency),
  );
}

function applyReward(state: ReportState, event: EventOf<"RewardScored">): ReportState {
  const { role, total, components } = event.payload;
  return withUnit(state, stepUnit(event.payload, role), (metrics) => withReward(metrics, total, components));
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

/** The caption behind a rendered image: image -> code -> proposal (null when any link is missing). */
function captionOfImage(samples: SampleGraph, imageId: string): string | null {
  const image = samples.find(imageId, "ImageRendered");
  const code = image === undefined ? undefined : samples.find(image.payload.codeId, "CodeSampled");
  return code === undefined ? null : captionOfCode(samples, code);
}

function applyDataset(state: ReportState, event: EventOf<"DatasetBuilt">): ReportState {
  const { iteration, phase, funnel, items, promptIds } = event.payload;
  const counts = { checked: 0, correct: 0, unknown: 0 };
  const records = items.map((item): DatasetItemRecord => {
    const caption = captionOfImage(state.samples, item.imageId);
    const verdict = caption === null ? null : answerVerdict(caption, item.question, item.pseudoLabel);
    const outcome = verdict?.verdict ?? "unknown";
    if (outcome === "unknown") counts.unknown += 1;
    else counts.checked += 1;
    if (outcome === "correct") counts.correct += 1;
    return { imageId: item.imageId, question: item.question, pseudoLabel: item.pseudoLabel, verdict };
  });
  const record: DatasetRecord = {
    iteration,
    phase,
    funnel,
    kept: phase === "coder" ? promptIds.length : items.length,
    pseudoLabels: counts,
    items: records,
  };
  return { ...state, datasets: [...state.datasets, record] };
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

/** Folds one event into the report: the state given is consumed (its sample graph grows), use the one returned. */
export function applyReportEvent(state: ReportState, recorded: RecordedEvent): ReportState {
  state.samples.add(recorded.event);
  return applySampleEvent({ ...state, run: applyRunInfo(state.run, recorded) }, recorded);
}

/** A run's events folded into a fresh report state. */
export function foldReport(events: Iterable<RecordedEvent>): ReportState {
  let state = emptyReportState();
  for (const recorded of events) state = applyReportEvent(state, recorded);
  return state;
}
