import assert from "node:assert/strict";
import { type PolicyRole, policyRoles } from "../events/index.ts";
import type { BenchmarkPoint, IterationOverview, ReportMetrics, StepPoint } from "./metrics.ts";
import type { ProportionInterval } from "./statistics.ts";
import { consistencyBinCount, type GrpoMeans, type UnitSummary } from "./unit-metrics.ts";

/**
 * What each chart of the page plots, as data: the page script hands these to uPlot unchanged.
 * A series with no values is dropped, and a chart left with no series is not drawn (the page says
 * "no data yet" under its title instead), so every drawn chart has something on it.
 */

export interface ChartSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly colour: string;
}

/** A shaded interval around a series (95% Wilson intervals). */
export interface ChartBand {
  readonly label: string;
  readonly lower: readonly (number | null)[];
  readonly upper: readonly (number | null)[];
  readonly colour: string;
}

export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  /** One line on how to read the chart. */
  readonly description: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly x: readonly number[];
  /** A tick label per x value, in order; null to print the numbers. */
  readonly xTicks: readonly string[] | null;
  readonly series: readonly ChartSeries[];
  readonly bands: readonly ChartBand[];
  readonly yRange: readonly [number, number] | null;
}

/** Tableau 10: distinct for most colour vision, readable on white. */
export const chartPalette = [
  "#4e79a7",
  "#f28e2b",
  "#e15759",
  "#76b7b2",
  "#59a14f",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
  "#9c755f",
  "#bab0ac",
] as const;

export const roleColours: Readonly<Record<PolicyRole, string>> = {
  proposer: chartPalette[0],
  coder: chartPalette[1],
  solver: chartPalette[4],
};

function colourAt(position: number): string {
  return chartPalette[position % chartPalette.length]!;
}

type ChartDraft = Omit<ChartSpec, "bands" | "yRange" | "xTicks" | "series"> & {
  readonly series: readonly Omit<ChartSeries, "colour">[] | readonly ChartSeries[];
  readonly bands?: readonly ChartBand[];
  readonly yRange?: readonly [number, number];
  readonly xTicks?: readonly string[];
};

function hasValues(values: readonly (number | null)[]): boolean {
  return values.some((value) => value !== null && Number.isFinite(value));
}

/** The chart with its empty series dropped and colours assigned. */
export function chartOf(draft: ChartDraft): ChartSpec {
  for (const entry of [...draft.series, ...(draft.bands ?? [])]) {
    const length = "values" in entry ? entry.values.length : entry.lower.length;
    assert.equal(length, draft.x.length, `chart ${draft.id}: "${entry.label}" has ${length} values for ${draft.x.length} x`);
  }
  const series = draft.series
    .map((entry, position) => ({ colour: colourAt(position), ...entry }))
    .filter((entry) => hasValues(entry.values));
  return {
    ...draft,
    series,
    bands: (draft.bands ?? []).filter((band) => hasValues(band.lower)),
    yRange: draft.yRange ?? null,
    xTicks: draft.xTicks ?? null,
  };
}

const unitRange: readonly [number, number] = [0, 1];

function stepAxis(points: readonly StepPoint[]) {
  return {
    x: points.map((_, position) => position + 1),
    xTicks: points.map((point) => point.label),
    xLabel: "GRPO step (iteration, step)",
  };
}

function pick(points: readonly StepPoint[], read: (summary: UnitSummary) => number | null | undefined) {
  return points.map((point) => read(point.summary) ?? null);
}

function component(name: string) {
  return (summary: UnitSummary) => summary.componentMeans[name] ?? null;
}

function proposerCharts(points: readonly StepPoint[]): ChartSpec[] {
  const axis = stepAxis(points);
  const types = [...new Set(points.flatMap((point) => Object.keys(point.summary.contentTypeShares)))].sort();
  return [
    chartOf({
      id: "proposer-reward",
      title: "Proposer reward",
      description: "Mean reward of the step's rollouts (-1 for a format-invalid proposal).",
      ...axis,
      yLabel: "mean reward",
      series: [{ label: "reward", values: pick(points, (summary) => summary.rewardMean) }],
    }),
    chartOf({
      id: "proposer-measures",
      title: "Proposer: solvability, difficulty, validity",
      description: "Means over the step's proposals, judged by the frozen Coder and Solver.",
      ...axis,
      yLabel: "mean / rate",
      yRange: unitRange,
      series: [
        { label: "solvability", values: pick(points, (summary) => summary.solvability) },
        { label: "difficulty", values: pick(points, (summary) => summary.difficulty) },
        { label: "format-valid rate", values: pick(points, (summary) => summary.validRate) },
        { label: "judge render rate", values: pick(points, (summary) => summary.renderRate) },
      ],
    }),
    chartOf({
      id: "proposer-components",
      title: "Proposer reward adjustments",
      description: "Mean diversity adjustment and penalties (0 when not applied).",
      ...axis,
      yLabel: "mean adjustment",
      series: [
        { label: "diversity", values: pick(points, component("diversity")) },
        { label: "content-type penalty", values: pick(points, component("contentTypePenalty")) },
        { label: "trivial-hard penalty", values: pick(points, component("trivialHardPenalty")) },
      ],
    }),
    chartOf({
      id: "proposer-content-types",
      title: "Content types of valid proposals",
      description: "Share of each content type and the normalised entropy (1 = evenly spread).",
      ...axis,
      yLabel: "share",
      yRange: unitRange,
      series: [
        { label: "normalised entropy", values: pick(points, (summary) => summary.contentTypeEntropy) },
        ...types.map((type) => ({
          label: type,
          values: pick(points, (summary) => summary.contentTypeShares[type] ?? 0),
        })),
      ],
    }),
  ];
}

function coderCharts(points: readonly StepPoint[]): ChartSpec[] {
  const axis = stepAxis(points);
  return [
    chartOf({
      id: "coder-reward",
      title: "Coder reward",
      description: "Mean reward of the step's SVG rollouts (1 + s + d when rendered, negative when not).",
      ...axis,
      yLabel: "mean reward",
      series: [{ label: "reward", values: pick(points, (summary) => summary.rewardMean) }],
    }),
    chartOf({
      id: "coder-measures",
      title: "Coder: render rate, solvability, difficulty",
      description: "Render rate of the rollouts; solvability, difficulty and hard consistency of rendered ones.",
      ...axis,
      yLabel: "mean / rate",
      yRange: unitRange,
      series: [
        { label: "render rate", values: pick(points, (summary) => summary.renderRate) },
        { label: "solvability", values: pick(points, (summary) => summary.solvability) },
        { label: "difficulty", values: pick(points, (summary) => summary.difficulty) },
        { label: "hard consistency", values: pick(points, component("hardConsistency")) },
      ],
    }),
    chartOf({
      id: "coder-code-length",
      title: "Average code length",
      description: "Mean characters per Coder output.",
      ...axis,
      yLabel: "characters",
      series: [{ label: "code length", values: pick(points, (summary) => summary.codeLengthMean) }],
    }),
  ];
}

function solverCharts(points: readonly StepPoint[]): ChartSpec[] {
  return [
    chartOf({
      id: "solver-reward",
      title: "Solver reward",
      description: "Mean reward (0.9 x matches pseudo-label + 0.1 x format), agreement and format rates.",
      ...stepAxis(points),
      yLabel: "mean / rate",
      yRange: unitRange,
      series: [
        { label: "reward", values: pick(points, (summary) => summary.rewardMean) },
        { label: "matches pseudo-label", values: pick(points, component("correct")) },
        { label: "format ok", values: pick(points, component("formatOk")) },
      ],
    }),
  ];
}

const grpoMetrics: readonly { key: keyof GrpoMeans; title: string; yLabel: string }[] = [
  { key: "loss", title: "GRPO loss", yLabel: "loss" },
  { key: "kl", title: "KL to the phase's reference", yLabel: "k3 KL" },
  { key: "clipFraction", title: "Clip fraction", yLabel: "share of tokens" },
  { key: "gradNorm", title: "Gradient norm (before clipping)", yLabel: "norm" },
];

function grpoCharts(steps: ReportMetrics["steps"]): ChartSpec[] {
  const length = Math.max(0, ...policyRoles.map((role) => steps[role].length));
  const x = Array.from({ length }, (_, position) => position + 1);
  return grpoMetrics.map(({ key, title, yLabel }) =>
    chartOf({
      id: `grpo-${key}`,
      title,
      description: "Per role, by the role's own GRPO steps in order (steps without an update are gaps).",
      xLabel: "role's GRPO step",
      yLabel,
      x,
      xTicks: x.map(String),
      series: policyRoles.map((role) => ({
        label: role,
        colour: roleColours[role],
        values: x.map((_, position) => steps[role][position]?.summary.grpo[key] ?? null),
      })),
    }),
  );
}

function intervalSeries(intervals: readonly (ProportionInterval | null)[], label: string, colour: string) {
  return {
    series: { label, colour, values: intervals.map((interval) => interval?.estimate ?? null) },
    band: {
      label: `${label} 95% interval`,
      colour,
      lower: intervals.map((interval) => interval?.lower ?? null),
      upper: intervals.map((interval) => interval?.upper ?? null),
    },
  };
}

function benchmarkCharts(points: readonly BenchmarkPoint[]): ChartSpec[] {
  const axis = {
    x: points.map((point) => point.iteration),
    xTicks: points.map((point) => (point.iteration === 0 ? "base" : `${point.iteration}`)),
    xLabel: "iteration (base = before training)",
    yLabel: "accuracy",
    yRange: unitRange,
  };
  const overall = intervalSeries(
    points.map((point) => point.overall),
    "overall",
    chartPalette[0],
  );
  const breakdown = (id: string, title: string, read: (point: BenchmarkPoint) => Readonly<Record<string, ProportionInterval | null>>) => {
    const names = [...new Set(points.flatMap((point) => Object.keys(read(point))))].sort();
    return chartOf({
      id,
      title,
      description: "Greedy Solver accuracy on the benchmark slice (see the table for counts and intervals).",
      ...axis,
      series: names.map((name) => ({ label: name, values: points.map((point) => read(point)[name]?.estimate ?? null) })),
    });
  };
  return [
    chartOf({
      id: "benchmark-overall",
      title: "Solver benchmark accuracy",
      description: "Greedy accuracy on the public benchmark slice with its 95% Wilson interval (shaded).",
      ...axis,
      series: [overall.series],
      bands: [overall.band],
    }),
    breakdown("benchmark-level", "Accuracy by level", (point) => point.byLevel),
    breakdown("benchmark-content-type", "Accuracy by content type", (point) => point.byContentType),
  ];
}

function iterationAxis(iterations: readonly IterationOverview[]) {
  return {
    x: iterations.map((overview) => overview.iteration),
    xTicks: iterations.map((overview) => `${overview.iteration}`),
    xLabel: "iteration",
  };
}

function perPhase(iterations: readonly IterationOverview[], read: (summary: UnitSummary) => number | null) {
  return policyRoles.map((role) => ({
    label: `${role} phase`,
    colour: roleColours[role],
    values: iterations.map((overview) => read(overview.byPhase[role])),
  }));
}

function iterationCharts(metrics: ReportMetrics): ChartSpec[] {
  const iterations = metrics.iterations;
  const axis = iterationAxis(iterations);
  const binWidth = 1 / consistencyBinCount;
  const datasetSize = (phase: PolicyRole) =>
    iterations.map(
      (overview) =>
        metrics.datasets.find((dataset) => dataset.iteration === overview.iteration && dataset.phase === phase)
          ?.funnel.kept ?? null,
    );
  return [
    chartOf({
      id: "iteration-hard-consistency",
      title: "Hard-question consistency distribution",
      description: "Share of judged hard questions per Solver self-consistency bin (ideal: mass near 0.5).",
      xLabel: "hard-question consistency (bin centre)",
      yLabel: "share of judged images",
      x: Array.from({ length: consistencyBinCount }, (_, bin) => (bin + 0.5) * binWidth),
      series: iterations.map((overview) => ({
        label: `iteration ${overview.iteration}`,
        values: overview.all.hardConsistencyShares ?? Array.from({ length: consistencyBinCount }, () => null),
      })),
    }),
    chartOf({
      id: "iteration-consistency-gap",
      title: "Easy-minus-hard consistency gap",
      description: "Mean easy-question consistency minus mean hard-question consistency of the frozen Solver.",
      ...axis,
      yLabel: "consistency gap",
      series: perPhase(iterations, (summary) => summary.consistencyGap),
    }),
    chartOf({
      id: "iteration-render-rate",
      title: "Render rate by phase",
      description: "Share of Coder outputs that rendered, over every code sampled in the phase.",
      ...axis,
      yLabel: "render rate",
      yRange: unitRange,
      series: perPhase(iterations, (summary) => summary.renderRate),
    }),
    chartOf({
      id: "iteration-entropy",
      title: "Content-type entropy by phase",
      description: "Normalised entropy of the valid proposals' content types (1 = evenly spread).",
      ...axis,
      yLabel: "normalised entropy",
      yRange: unitRange,
      series: perPhase(iterations, (summary) => summary.contentTypeEntropy),
    }),
    chartOf({
      id: "iteration-dataset-sizes",
      title: "Training-set sizes after filtering",
      description: "Coder prompts kept by the render-rate band; Solver items kept by the consistency bands.",
      ...axis,
      yLabel: "kept",
      series: [
        { label: "Coder prompts", colour: roleColours.coder, values: datasetSize("coder") },
        { label: "Solver items", colour: roleColours.solver, values: datasetSize("solver") },
      ],
    }),
  ];
}

function oracleCharts(metrics: ReportMetrics): ChartSpec[] {
  const iterations = metrics.iterations;
  const axis = { ...iterationAxis(iterations), yRange: unitRange };
  const pseudo = intervalSeries(
    iterations.map(
      (overview) =>
        metrics.datasets.find((dataset) => dataset.iteration === overview.iteration && dataset.phase === "solver")
          ?.pseudoLabelAccuracy ?? null,
    ),
    "pseudo-label accuracy",
    chartPalette[2],
  );
  const fidelity = intervalSeries(
    iterations.map((overview) => overview.all.captionFidelity),
    "caption fidelity",
    chartPalette[3],
  );
  return [
    chartOf({
      id: "oracle-pseudo-labels",
      title: "Pseudo-label accuracy (oracle)",
      description: "Share of Solver dataset items whose majority label is the true answer (95% interval).",
      ...axis,
      yLabel: "accuracy",
      series: [pseudo.series],
      bands: [pseudo.band],
    }),
    chartOf({
      id: "oracle-caption-fidelity",
      title: "Caption fidelity of rendered SVGs (oracle)",
      description: "Share of rendered Coder outputs that draw exactly their caption's scene (95% interval).",
      ...axis,
      yLabel: "fidelity",
      series: [fidelity.series],
      bands: [fidelity.band],
    }),
    chartOf({
      id: "oracle-proposer-answers",
      title: "Proposer answers (oracle)",
      description: "Share of valid proposals whose own easy / hard answer is the true answer.",
      ...axis,
      yLabel: "accuracy",
      series: [
        { label: "easy answer", values: iterations.map((o) => o.all.proposerEasyAnswerAccuracy?.estimate ?? null) },
        { label: "hard answer", values: iterations.map((o) => o.all.proposerHardAnswerAccuracy?.estimate ?? null) },
      ],
    }),
  ];
}

export interface ChartSections {
  readonly benchmark: readonly ChartSpec[];
  readonly proposer: readonly ChartSpec[];
  readonly coder: readonly ChartSpec[];
  readonly solver: readonly ChartSpec[];
  readonly iterations: readonly ChartSpec[];
  readonly grpo: readonly ChartSpec[];
  readonly oracle: readonly ChartSpec[];
}

/** Whether a chart has anything to draw. */
export function chartHasData(chart: ChartSpec): boolean {
  return chart.series.length > 0;
}

/** Every chart of the page by section, in reading order. */
export function reportCharts(metrics: ReportMetrics): ChartSections {
  return {
    benchmark: benchmarkCharts(metrics.benchmark),
    proposer: proposerCharts(metrics.steps.proposer),
    coder: coderCharts(metrics.steps.coder),
    solver: solverCharts(metrics.steps.solver),
    iterations: iterationCharts(metrics),
    grpo: grpoCharts(metrics.steps),
    oracle: oracleCharts(metrics),
  };
}
