import { type PolicyRole, policyRoles } from "../events/index.ts";
import {
  type ChartSpec,
  chartOf,
  chartPalette,
  intervalSeries,
  roleColours,
  unitRange,
} from "./chart-spec.ts";
import type { BenchmarkPoint, IterationOverview, ReportMetrics } from "./metrics.ts";
import type { ProportionInterval } from "./statistics.ts";
import { consistencyBinCount, type UnitSummary } from "./unit-metrics.ts";

/** Per-iteration charts: benchmark accuracy, the frozen judges' measurements, dataset sizes, oracle analyses. */

export function benchmarkCharts(points: readonly BenchmarkPoint[]): ChartSpec[] {
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
  const breakdown = (
    id: string,
    title: string,
    read: (point: BenchmarkPoint) => Readonly<Record<string, ProportionInterval | null>>,
  ) => {
    const names = [...new Set(points.flatMap((point) => Object.keys(read(point))))].sort();
    return chartOf({
      id,
      title,
      description: "Greedy Solver accuracy on the benchmark slice (see the table for counts and intervals).",
      ...axis,
      series: names.map((name) => ({
        label: name,
        values: points.map((point) => read(point)[name]?.estimate ?? null),
      })),
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

export function iterationCharts(metrics: ReportMetrics): ChartSpec[] {
  const iterations = metrics.iterations;
  const axis = iterationAxis(iterations);
  const binWidth = 1 / consistencyBinCount;
  const datasetSize = (phase: PolicyRole) =>
    iterations.map(
      (overview) =>
        metrics.datasets.find(
          (dataset) => dataset.iteration === overview.iteration && dataset.phase === phase,
        )?.funnel.kept ?? null,
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
      description:
        "Mean easy-question consistency minus mean hard-question consistency of the frozen Solver.",
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
      yWholeNumbers: true,
      series: [
        { label: "Coder prompts", colour: roleColours.coder, values: datasetSize("coder") },
        { label: "Solver items", colour: roleColours.solver, values: datasetSize("solver") },
      ],
    }),
  ];
}

export function oracleCharts(metrics: ReportMetrics): ChartSpec[] {
  const iterations = metrics.iterations;
  const axis = { ...iterationAxis(iterations), yRange: unitRange };
  const pseudo = intervalSeries(
    iterations.map(
      (overview) =>
        metrics.datasets.find(
          (dataset) => dataset.iteration === overview.iteration && dataset.phase === "solver",
        )?.pseudoLabelAccuracy ?? null,
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
        {
          label: "easy answer",
          values: iterations.map((o) => o.all.proposerEasyAnswerAccuracy?.estimate ?? null),
        },
        {
          label: "hard answer",
          values: iterations.map((o) => o.all.proposerHardAnswerAccuracy?.estimate ?? null),
        },
      ],
    }),
  ];
}
