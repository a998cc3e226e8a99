import type { PolicyRole } from "../events/index.ts";
import { type ChartSpec, chartHasData } from "./chart-spec.ts";
import { escapeHtml, formatNumber, formatPercent, hashHtml, tableHtml } from "./html.ts";
import type {
  BenchmarkPoint,
  DatasetView,
  IterationOverview,
  IterationRow,
  ReportMetrics,
} from "./metrics.ts";
import type { ProportionInterval } from "./statistics.ts";
import type { Stage } from "./unit-metrics.ts";

/** The page's charts, tables and funnels as HTML; every log-derived string goes through escapeHtml. */

export function chartGridHtml(charts: readonly ChartSpec[]): string {
  const figures = charts.map((chart) => {
    const body = chartHasData(chart)
      ? `<div class="chart-area" data-chart="${escapeHtml(chart.id)}"></div>`
      : `<div class="chart-empty" data-chart-empty="${escapeHtml(chart.id)}">no data yet</div>`;
    return `<figure class="chart"><figcaption>${escapeHtml(chart.title)}</figcaption>
<div class="description">${escapeHtml(chart.description)}</div>${body}</figure>`;
  });
  return `<div class="chart-grid">${figures.join("\n")}</div>`;
}

/** "61.2%" over "[48.1, 72.9] 30/49": estimate, then the 95% Wilson interval and the counts. */
export function intervalHtml(interval: ProportionInterval | null | undefined): string {
  if (interval === null || interval === undefined) return "–";
  const bounds = `[${(interval.lower * 100).toFixed(1)}, ${(interval.upper * 100).toFixed(1)}]`;
  return `${formatPercent(interval.estimate)}<small>${bounds} ${interval.successes}/${interval.total}</small>`;
}

export function benchmarkTableHtml(points: readonly BenchmarkPoint[]): string {
  if (points.length === 0) return `<p class="lead">No benchmark evaluation recorded yet.</p>`;
  const levels = [...new Set(points.flatMap((point) => Object.keys(point.byLevel)))].sort();
  const types = [...new Set(points.flatMap((point) => Object.keys(point.byContentType)))].sort();
  const head = ["iteration", "Solver weights", "overall", ...levels, ...types].map(escapeHtml);
  const rows = points.map((point) => [
    point.iteration === 0 ? "base" : String(point.iteration),
    hashHtml(point.weightHash),
    intervalHtml(point.overall),
    ...levels.map((level) => intervalHtml(point.byLevel[level])),
    ...types.map((type) => intervalHtml(point.byContentType[type])),
  ]);
  return `<div class="table-scroll">${tableHtml(head, rows)}</div>
<p class="lead">Estimate, 95% Wilson interval and correct/total per cell. Benchmark file ${hashHtml(points[0]!.benchmarkHash)}.</p>`;
}

function stageName(phase: PolicyRole, stage: Stage): string {
  if (stage === "step") return "GRPO steps";
  return phase === "coder" ? "prompt filter" : "dataset";
}

export function iterationTableHtml(rows: readonly IterationRow[]): string {
  if (rows.length === 0) return `<p class="lead">No samples recorded yet.</p>`;
  const head = [
    "iteration",
    "phase",
    "stage",
    "proposals",
    "valid",
    "codes",
    "rendered",
    "code length",
    "easy c",
    "hard c",
    "gap",
    "type entropy",
    "reward",
    "solvability",
    "difficulty",
    "flat groups",
  ];
  const body = rows.map(({ iteration, phase, stage, summary }) => [
    String(iteration),
    escapeHtml(phase),
    stageName(phase, stage),
    String(summary.proposals),
    formatPercent(summary.validRate),
    String(summary.codes),
    formatPercent(summary.renderRate),
    formatNumber(summary.codeLengthMean, 0),
    formatNumber(summary.easyConsistencyMean),
    formatNumber(summary.hardConsistencyMean),
    formatNumber(summary.consistencyGap),
    formatNumber(summary.contentTypeEntropy),
    formatNumber(summary.rewardMean, 3),
    formatNumber(summary.solvability),
    formatNumber(summary.difficulty),
    formatPercent(summary.flatGroupRate),
  ]);
  return `<div class="table-scroll">${tableHtml(head, body)}</div>
<p class="lead">c = the frozen Solver's majority-vote self-consistency; gap = easy c - hard c; flat groups carry no GRPO signal.</p>`;
}

function funnelRow(label: string, count: number, total: number): string {
  const width = total === 0 ? 0 : Math.round((count / total) * 1000) / 10;
  return `<div class="funnel-row"><span>${label}</span><div class="bar"><span style="width:${width}%"></span></div><span class="count">${count}</span></div>`;
}

function funnelHtml(dataset: DatasetView): string {
  const { funnel } = dataset;
  const title = dataset.phase === "coder" ? "Coder prompts" : "Solver dataset";
  const note =
    dataset.phase === "coder"
      ? `kept: Coder render rate in the band; evaluated (recorded) = ${funnel.evaluated} valid proposals`
      : `kept: easy and hard consistency in the bands; evaluated (recorded) = ${funnel.evaluated} answered images`;
  return `<div class="funnel"><h4>Iteration ${dataset.iteration} · ${title}</h4>
${funnelRow("proposals", funnel.proposals, funnel.proposals)}
${funnelRow("format-valid", funnel.valid, funnel.proposals)}
${funnelRow("rendered", funnel.rendered, funnel.proposals)}
${funnelRow("kept", funnel.kept, funnel.proposals)}
<div class="note">${note}</div></div>`;
}

export function funnelsHtml(datasets: readonly DatasetView[]): string {
  if (datasets.length === 0) return `<p class="lead">No dataset built yet.</p>`;
  return `<div class="funnels">${datasets.map(funnelHtml).join("\n")}</div>`;
}

function verdictCountsHtml(dataset: DatasetView | undefined): string {
  if (dataset === undefined) return "–";
  return `${intervalHtml(dataset.pseudoLabelAccuracy)}${dataset.pseudoLabelsUnknown > 0 ? ` <span class="muted">(${dataset.pseudoLabelsUnknown} not checkable)</span>` : ""}`;
}

export function oracleTableHtml(metrics: ReportMetrics): string {
  if (metrics.iterations.length === 0) return `<p class="lead">No samples recorded yet.</p>`;
  const solverDataset = (overview: IterationOverview) =>
    metrics.datasets.find(
      (dataset) => dataset.iteration === overview.iteration && dataset.phase === "solver",
    );
  const head = [
    "iteration",
    "pseudo-label accuracy",
    "caption fidelity (all renders)",
    "caption fidelity (Coder rollouts)",
    "Proposer easy answers",
    "Proposer hard answers",
  ];
  const rows = metrics.iterations.map((overview) => {
    const coderSteps = metrics.iterationRows.find(
      (row) => row.iteration === overview.iteration && row.phase === "coder" && row.stage === "step",
    );
    return [
      String(overview.iteration),
      verdictCountsHtml(solverDataset(overview)),
      intervalHtml(overview.all.captionFidelity),
      intervalHtml(coderSteps?.summary.captionFidelity),
      intervalHtml(overview.all.proposerEasyAnswerAccuracy),
      intervalHtml(overview.all.proposerHardAnswerAccuracy),
    ];
  });
  return `<div class="table-scroll">${tableHtml(head, rows)}</div>`;
}
