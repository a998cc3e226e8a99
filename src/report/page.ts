import { type PolicyRole, policyRoles } from "../events/index.ts";
import type { ReportAssets } from "./assets.ts";
import { type ChartSpec, chartHasData } from "./chart-spec.ts";
import { type ChartSections, reportCharts } from "./charts.ts";
import type { GallerySample } from "./gallery.ts";
import { galleryHtml } from "./gallery-html.ts";
import {
  contentSecurityPolicy,
  escapeHtml,
  formatNumber,
  formatPercent,
  hashHtml,
  jsonForScript,
} from "./html.ts";
import { metadataHtml } from "./metadata-html.ts";
import { type ReportMetrics, reportMetrics } from "./metrics.ts";
import {
  benchmarkTableHtml,
  chartGridHtml,
  funnelsHtml,
  iterationTableHtml,
  oracleTableHtml,
} from "./page-sections.ts";
import type { ReportState } from "./projection.ts";
import type { RunLogFailures } from "./run-failures.ts";
import type { RunInfo } from "./run-info.ts";

/** Everything the page shows, gathered by the caller (the blob reads for images happen there). */
export interface ReportPageInput {
  readonly state: ReportState;
  readonly gallery: {
    /** Every gallery candidate in the run; `samples` is the chosen subset. */
    readonly candidateCount: number;
    readonly samples: readonly GallerySample[];
    /** data: URLs of the chosen samples' PNGs by blob hash. */
    readonly imageUrls: ReadonlyMap<string, string>;
  };
  /** Why the log's last record could not be read (a writer mid-append), or null. */
  readonly incompleteTail: string | null;
  /** Failures recorded only in run.log (recoverable faults are in no event); absent: none known. */
  readonly runLogFailures?: RunLogFailures;
  /** Reload every this many seconds while the run is running; null for a static page. */
  readonly refreshSeconds: number | null;
}

function tile(label: string, value: string, detail: string, oracle = false): string {
  return `<div class="tile${oracle ? " oracle" : ""}"><div class="label">${label}</div><div class="value">${value}</div><div class="detail">${detail}</div></div>`;
}

function positionText(run: RunInfo): string {
  const position = run.position;
  if (position === null) return run.status === "empty" ? "no events yet" : "starting";
  // Steps are 1-based for people, as in the charts, the CLI and run.log.
  const step = position.step === null ? "phase starting" : `s${position.step + 1} done`;
  return `i${position.iteration} · ${position.phase} · ${step}`;
}

function tilesHtml(state: ReportState, metrics: ReportMetrics): string {
  const run = state.run;
  const benchmark = metrics.benchmark;
  const first = benchmark[0];
  const last = benchmark.at(-1);
  const solverKept = metrics.datasets.filter((dataset) => dataset.phase === "solver");
  const { totals, overall, pseudoLabelAccuracy } = metrics;
  const fidelity = overall.captionFidelity;
  return `<div class="tiles">
${tile("Status", escapeHtml(run.status), escapeHtml(run.status === "completed" ? `${run.iterationsCompleted} iteration${run.iterationsCompleted === 1 ? "" : "s"}` : positionText(run)))}
${tile(
  "Solver benchmark accuracy",
  first === undefined
    ? "–"
    : `${formatPercent(first.overall?.estimate)} → ${formatPercent(last?.overall?.estimate)}`,
  first === undefined
    ? "not evaluated yet"
    : `base → iteration ${last?.iteration ?? 0}, n = ${last?.overall?.total ?? 0}`,
)}
${tile("Proposer format-valid", formatPercent(totals.proposer.validRate), `rollouts; mean reward ${formatNumber(totals.proposer.rewardMean, 3)}`)}
${tile("Coder render rate", formatPercent(totals.coder.renderRate), `rollouts; mean reward ${formatNumber(totals.coder.rewardMean, 3)}`)}
${tile("Solver dataset items", String(solverKept.reduce((sum, dataset) => sum + dataset.funnel.kept, 0)), `mean reward ${formatNumber(totals.solver.rewardMean, 3)}`)}
${tile("Pseudo-label accuracy", formatPercent(pseudoLabelAccuracy?.estimate), `oracle, ${pseudoLabelAccuracy?.successes ?? 0}/${pseudoLabelAccuracy?.total ?? 0} items`, true)}
${tile("Caption fidelity", formatPercent(fidelity?.estimate), `oracle, ${fidelity?.successes ?? 0}/${fidelity?.total ?? 0} renders`, true)}
${tile("Events", String(run.eventCount), `chain head ${hashHtml(run.chainHead)}`)}
</div>`;
}

const sectionTitles = [
  ["overview", "Overview"],
  ["benchmark", "Benchmark"],
  ["proposer", "Proposer"],
  ["coder", "Coder"],
  ["solver", "Solver"],
  ["iterations", "Per iteration"],
  ["grpo", "GRPO"],
  ["oracle", "Oracle analysis"],
  ["gallery", "Gallery"],
  ["metadata", "Run metadata"],
] as const;

function section(id: string, title: string, lead: string, body: string, extraClass = ""): string {
  return `<section class="panel${extraClass}" id="${id}"><h2>${title}</h2>${lead === "" ? "" : `<p class="lead">${lead}</p>`}
${body}</section>`;
}

const roleLeads: Readonly<Record<PolicyRole, string>> = {
  proposer:
    "Each GRPO step: proposals sampled from the Proposer, judged by K frozen-Coder SVGs and M frozen-Solver answers per question.",
  coder: "Each GRPO step: SVG rollouts for kept proposals, rendered and answered by the frozen Solver.",
  solver: "Each GRPO step: Solver rollouts on dataset images, rewarded against the majority pseudo-labels.",
};

function headerHtml(run: RunInfo): string {
  const started = run.started;
  const preset = started === null ? "" : presetOf(started.config);
  const subtitle = [
    preset === "" ? "" : `preset <code>${escapeHtml(preset)}</code>`,
    started === null ? "" : `seed <code>${escapeHtml(started.seed)}</code>`,
    started === null ? "" : `backend <code>${escapeHtml(started.backend.name)}</code>`,
    run.firstAt === null ? "" : `from ${escapeHtml(run.firstAt)} to ${escapeHtml(run.lastAt ?? "")}`,
  ].filter((part) => part !== "");
  const nav = sectionTitles.map(([id, title]) => `<a href="#${id}">${title}</a>`).join("");
  return `<header class="top"><h1>mmzero run ${escapeHtml(run.runId ?? "(empty log)")}<span class="badge ${escapeHtml(run.status)}">${escapeHtml(run.status)}</span></h1>
<div class="subtitle">${subtitle.join(" · ")}</div><nav class="sections">${nav}</nav></header>`;
}

function presetOf(config: Readonly<Record<string, unknown>>): string {
  const run = config.run;
  if (typeof run !== "object" || run === null || !("preset" in run)) return "";
  return typeof run.preset === "string" ? run.preset : "";
}

function notices(input: ReportPageInput): string {
  const lines: string[] = [];
  const failure = input.state.run.failure;
  if (failure !== null)
    lines.push(`Run failed: <b>${escapeHtml(failure.errorName)}</b> ${escapeHtml(failure.message)}`);
  if (input.incompleteTail !== null)
    lines.push(
      `The log's last record is incomplete (${escapeHtml(input.incompleteTail)}); a writer may still be appending.`,
    );
  for (const logged of input.runLogFailures?.failures ?? [])
    lines.push(
      `${logged.recoverable ? "Recoverable failure (not in the log; the run resumes to the same events)" : "Failure"}${logged.time === null ? "" : ` at ${escapeHtml(new Date(logged.time).toISOString())}`}: <b>${escapeHtml(logged.name)}</b> ${escapeHtml(logged.message)}`,
    );
  const unreadable = input.runLogFailures?.unreadableLines ?? 0;
  if (unreadable > 0)
    lines.push(`${unreadable} line(s) of run.log are not JSON (cut by a crash?) and were skipped.`);
  return lines.map((line) => `<p class="notice">${line}</p>`).join("\n");
}

function bodyHtml(input: ReportPageInput, metrics: ReportMetrics, charts: ChartSections): string {
  const { state, gallery } = input;
  return [
    section("overview", "Overview", "", `${notices(input)}${tilesHtml(state, metrics)}`),
    section(
      "benchmark",
      "Solver benchmark",
      "Greedy accuracy of the Solver on the public benchmark slice after each iteration (base = the starting model).",
      `${chartGridHtml(charts.benchmark)}${benchmarkTableHtml(metrics.benchmark)}`,
    ),
    ...policyRoles.map((role) =>
      section(
        role,
        `${role[0]!.toUpperCase()}${role.slice(1)} per step`,
        roleLeads[role],
        chartGridHtml(charts[role]),
      ),
    ),
    section(
      "iterations",
      "Per iteration",
      "Every unit of each iteration: dataset building and GRPO steps, with the frozen judges' measurements.",
      `${chartGridHtml(charts.iterations)}<h3>Funnels</h3>${funnelsHtml(metrics.datasets)}<h3>Iterations by phase and stage</h3>${iterationTableHtml(metrics.iterationRows)}`,
    ),
    section(
      "grpo",
      "GRPO updates",
      "The Trainer's statistics of each update (PolicyUpdated).",
      chartGridHtml(charts.grpo),
    ),
    section(
      "oracle",
      'Oracle analysis <span class="oracle-label">analysis only (oracle)</span>',
      "The world's ground truth, read after the fact: it is never used for rewards, filters or labels. It tells how often the loop's own pseudo-labels, Proposer answers and Coder SVGs are actually right.",
      `${chartGridHtml(charts.oracle)}${oracleTableHtml(metrics)}`,
      " oracle",
    ),
    section(
      "gallery",
      "Gallery",
      "Samples chosen evenly across iterations, phases and outcomes. Images are the rendered 32x32 PNGs, enlarged.",
      galleryHtml(gallery.samples, gallery.candidateCount, gallery.imageUrls),
    ),
    section("metadata", "Run metadata", "", metadataHtml(state.run)),
  ].join("\n");
}

/** The page's embedded data: only what the script needs (charts to draw, refresh policy). */
function pageData(charts: readonly ChartSpec[], input: ReportPageInput) {
  return {
    charts: Object.fromEntries(charts.filter(chartHasData).map((chart) => [chart.id, chart])),
    refreshSeconds: input.refreshSeconds,
    status: input.state.run.status,
  };
}

/** The whole report as one self-contained HTML document. */
export function reportPageHtml(input: ReportPageInput, assets: ReportAssets): string {
  const metrics = reportMetrics(input.state);
  const sections = reportCharts(metrics);
  const charts = Object.values(sections).flat();
  const scripts = [assets.chartLibraryScript, assets.pageScript];
  const title = `mmzero report · ${input.state.run.runId ?? "empty log"}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(scripts))}">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<style>${assets.chartLibraryStyles}
${assets.pageStyles}</style>
</head>
<body>
${headerHtml(input.state.run)}
<main>
${bodyHtml(input, metrics, sections)}
</main>
<footer class="bottom">Built from the run's event log by <code>mmzero report</code>. Charts: uPlot.</footer>
<script type="application/json" id="report-data">${jsonForScript(pageData(charts, input))}</script>
<script>${assets.chartLibraryScript}</script>
<script>${assets.pageScript}</script>
</body>
</html>
`;
}
