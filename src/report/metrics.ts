import { type PayloadOf, type PolicyRole, policyRoles } from "../events/index.ts";
import { type DatasetRecord, type ReportState, type UnitEntry, unitKeyText } from "./projection.ts";
import { type ProportionInterval, wilsonInterval } from "./statistics.ts";
import {
  emptyUnitMetrics,
  mergeUnitMetrics,
  type Stage,
  summariseUnit,
  type UnitMetrics,
  type UnitSummary,
} from "./unit-metrics.ts";

/**
 * The report's numbers as plain data, derived from the fold's state: per-step curves for each
 * role, per-iteration rows, benchmark accuracy with Wilson intervals and the dataset funnels. The
 * page draws these; a live display or a /metrics endpoint can read the same values.
 */

export interface StepPoint {
  readonly iteration: number;
  readonly step: number;
  /** "i1 s0": iteration and 0-based step, as the logical keys name them. */
  readonly label: string;
  readonly summary: UnitSummary;
}

export interface IterationRow {
  readonly iteration: number;
  readonly phase: PolicyRole;
  readonly stage: Stage;
  readonly summary: UnitSummary;
}

export interface BenchmarkPoint {
  readonly iteration: number;
  readonly weightHash: string;
  readonly benchmarkHash: string;
  readonly overall: ProportionInterval | null;
  readonly byLevel: Readonly<Record<string, ProportionInterval | null>>;
  readonly byContentType: Readonly<Record<string, ProportionInterval | null>>;
}

/** A dataset's funnel in monotone order: proposals >= format-valid >= rendered >= kept. */
export interface FunnelView {
  readonly proposals: number;
  /** Format-valid proposals among the dataset's samples (counted from ProposalSampled). */
  readonly valid: number;
  readonly rendered: number;
  readonly kept: number;
  /** As recorded: the Solver dataset's rendered-and-answered items; the Coder filter's valid proposals. */
  readonly evaluated: number;
}

export interface DatasetView {
  readonly iteration: number;
  readonly phase: PolicyRole;
  readonly funnel: FunnelView;
  /** Analysis only: pseudo-labels the oracle could check, as a proportion correct. */
  readonly pseudoLabelAccuracy: ProportionInterval | null;
  readonly pseudoLabelsUnknown: number;
}

export interface IterationOverview {
  readonly iteration: number;
  /** Every unit of the iteration merged (judging, datasets and steps of all phases). */
  readonly all: UnitSummary;
  /** Each phase's units merged. */
  readonly byPhase: Readonly<Record<PolicyRole, UnitSummary>>;
}

export interface ReportMetrics {
  readonly steps: Readonly<Record<PolicyRole, readonly StepPoint[]>>;
  readonly iterationRows: readonly IterationRow[];
  readonly iterations: readonly IterationOverview[];
  readonly benchmark: readonly BenchmarkPoint[];
  readonly datasets: readonly DatasetView[];
  /** Each role's own GRPO steps over the whole run (its rollouts, rewards and updates). */
  readonly totals: Readonly<Record<PolicyRole, UnitSummary>>;
  /** Every unit of the run merged (judging and dataset building included). */
  readonly overall: UnitSummary;
  /** Analysis only: pseudo-labels of every Solver dataset, as a proportion correct. */
  readonly pseudoLabelAccuracy: ProportionInterval | null;
}

const stageOrder: Readonly<Record<Stage, number>> = { dataset: 0, step: 1 };

function compareUnits(first: UnitEntry, second: UnitEntry): number {
  const a = first.key;
  const b = second.key;
  return (
    a.iteration - b.iteration ||
    policyRoles.indexOf(a.phase) - policyRoles.indexOf(b.phase) ||
    stageOrder[a.stage] - stageOrder[b.stage] ||
    a.step - b.step
  );
}

/** The state's units in schedule order: iteration, phase, dataset before steps, step. */
export function orderedUnits(state: ReportState): UnitEntry[] {
  return Object.values(state.units).sort(compareUnits);
}

function mergeAll(entries: readonly UnitEntry[]): UnitMetrics {
  return entries.reduce((merged, entry) => mergeUnitMetrics(merged, entry.metrics), emptyUnitMetrics);
}

function stepPoints(units: readonly UnitEntry[], role: PolicyRole): StepPoint[] {
  return units
    .filter((entry) => entry.key.phase === role && entry.key.stage === "step")
    .map(({ key, metrics }) => ({
      iteration: key.iteration,
      step: key.step,
      label: `i${key.iteration} s${key.step + 1}`,
      summary: summariseUnit(metrics, role),
    }));
}

function iterationRows(units: readonly UnitEntry[]): IterationRow[] {
  const groups = new Map<
    string,
    { iteration: number; phase: PolicyRole; stage: Stage; entries: UnitEntry[] }
  >();
  for (const entry of units) {
    const { iteration, phase, stage } = entry.key;
    const name = `${iteration}/${phase}/${stage}`;
    const group = groups.get(name) ?? { iteration, phase, stage, entries: [] };
    group.entries.push(entry);
    groups.set(name, group);
  }
  return [...groups.values()].map(({ iteration, phase, stage, entries }) => ({
    iteration,
    phase,
    stage,
    summary: summariseUnit(mergeAll(entries), phase),
  }));
}

function byPhase(entries: readonly UnitEntry[]): Record<PolicyRole, UnitSummary> {
  const summary = (role: PolicyRole) =>
    summariseUnit(mergeAll(entries.filter((entry) => entry.key.phase === role)), role);
  return { proposer: summary("proposer"), coder: summary("coder"), solver: summary("solver") };
}

function iterationOverviews(units: readonly UnitEntry[]): IterationOverview[] {
  const iterations = [...new Set(units.map((entry) => entry.key.iteration))].sort((a, b) => a - b);
  return iterations.map((iteration) => {
    const entries = units.filter((entry) => entry.key.iteration === iteration);
    // Why "solver" for the merged summary: it has no role-specific measures, so none are mislabelled.
    return { iteration, all: summariseUnit(mergeAll(entries), "solver"), byPhase: byPhase(entries) };
  });
}

function intervals(tallies: Readonly<Record<string, { correct: number; total: number }>>) {
  return Object.fromEntries(
    Object.keys(tallies)
      .sort()
      .map((name) => [name, wilsonInterval(tallies[name]!.correct, tallies[name]!.total)]),
  );
}

export function benchmarkPoint(payload: PayloadOf<"BenchmarkEvaluated">): BenchmarkPoint {
  return {
    iteration: payload.iteration,
    weightHash: payload.weightHash,
    benchmarkHash: payload.benchmarkHash,
    overall: wilsonInterval(payload.overall.correct, payload.overall.total),
    byLevel: intervals(payload.byLevel),
    byContentType: intervals(payload.byContentType),
  };
}

function datasetView(record: DatasetRecord, state: ReportState): DatasetView {
  const unit =
    state.units[unitKeyText({ iteration: record.iteration, phase: record.phase, stage: "dataset", step: 0 })];
  return {
    iteration: record.iteration,
    phase: record.phase,
    funnel: {
      proposals: record.funnel.proposals,
      valid: unit?.metrics.validProposals ?? 0,
      rendered: record.funnel.rendered,
      kept: record.kept,
      evaluated: record.funnel.evaluated,
    },
    pseudoLabelAccuracy: wilsonInterval(record.pseudoLabels.correct, record.pseudoLabels.checked),
    pseudoLabelsUnknown: record.pseudoLabels.unknown,
  };
}

export function reportMetrics(state: ReportState): ReportMetrics {
  const units = orderedUnits(state);
  return {
    steps: {
      proposer: stepPoints(units, "proposer"),
      coder: stepPoints(units, "coder"),
      solver: stepPoints(units, "solver"),
    },
    iterationRows: iterationRows(units),
    iterations: iterationOverviews(units),
    benchmark: [...state.benchmarks].sort((a, b) => a.iteration - b.iteration).map(benchmarkPoint),
    datasets: state.datasets.map((record) => datasetView(record, state)),
    totals: byPhase(units.filter((entry) => entry.key.stage === "step")),
    // Why "solver": it has no role-specific measures, so none are mislabelled.
    overall: summariseUnit(mergeAll(units), "solver"),
    pseudoLabelAccuracy: wilsonInterval(
      state.datasets.reduce((sum, record) => sum + record.pseudoLabels.correct, 0),
      state.datasets.reduce((sum, record) => sum + record.pseudoLabels.checked, 0),
    ),
  };
}
