import type { ProportionInterval } from "../report/index.ts";
import {
  type ChartSpec,
  chartGridHtml,
  chartHasData,
  chartOf,
  chartPalette,
  contentSecurityPolicy,
  escapeHtml,
  jsonForScript,
  loadReportAssets,
  tableHtml,
  unitRange,
} from "../report/index.ts";
import type { ByDecoding, IterationAnalysis } from "./analysis.ts";
import type { ExperimentResult, RunResult } from "./experiment.ts";
import { deltaText } from "./format-text.ts";
import { type Breakdown, breakdownRows } from "./item-groups.ts";
import type { Count, IterationOracle, PhaseOracle } from "./oracle-metrics.ts";
import type { MeanInterval, PairedDelta } from "./paired-delta.ts";

/**
 * experiment.html: the runs' curves overlaid (one series per run, one chart per measure) with the
 * report's chart code and page script, and the paired delta tables. Self-contained like the report.
 */

function runLabel(run: RunResult): string {
  return `${run.configuration} s${run.seed}`;
}

function iterationAxis(result: ExperimentResult) {
  const count = Math.max(0, ...result.runs.map((run) => run.solvers.length));
  const x = Array.from({ length: count }, (_, index) => index);
  return {
    x,
    xTicks: x.map((iteration) => (iteration === 0 ? "base" : String(iteration))),
    xLabel: "iteration",
  };
}

function accuracyChart(
  result: ExperimentResult,
  id: string,
  title: string,
  read: (run: RunResult, iteration: number) => number | null,
): ChartSpec {
  const axis = iterationAxis(result);
  return chartOf({
    id,
    title,
    description: "One line per run (configuration and seed); base = the run's starting Solver.",
    ...axis,
    yLabel: "accuracy",
    yRange: unitRange,
    series: result.runs.map((run) => ({
      label: runLabel(run),
      values: axis.x.map((iteration) => read(run, iteration)),
    })),
  });
}

function share(tally: Count | null | undefined): number | null {
  return tally === null || tally === undefined || tally.total === 0 ? null : tally.correct / tally.total;
}

/** A configuration's mean accuracy per iteration (over seeds and items) with its 95% interval as a band. */
function configurationChart(
  result: ExperimentResult,
  id: string,
  title: string,
  read: (iteration: IterationAnalysis) => MeanInterval | null | undefined,
): ChartSpec {
  const axis = iterationAxis(result);
  const lines = result.analysis.configurations.map((configuration, index) => {
    const at = (iteration: number) => {
      const entry = configuration.iterations.find((analysis) => analysis.iteration === iteration);
      return entry === undefined ? null : (read(entry) ?? null);
    };
    const colour = chartPalette[index % chartPalette.length]!;
    return {
      series: {
        label: configuration.name,
        colour,
        values: axis.x.map((iteration) => at(iteration)?.mean ?? null),
      },
      band: {
        label: `${configuration.name} 95% interval`,
        colour,
        lower: axis.x.map((iteration) => at(iteration)?.low ?? null),
        upper: axis.x.map((iteration) => at(iteration)?.high ?? null),
      },
    };
  });
  return chartOf({
    id,
    title,
    description: "Mean over seeds and items per configuration; shaded: the 95% t interval over items.",
    ...axis,
    yLabel: "accuracy",
    yRange: unitRange,
    series: lines.map((line) => line.series),
    bands: lines.map((line) => line.band),
  });
}

function solverCharts(result: ExperimentResult): ChartSpec[] {
  const k = result.evaluation.samples;
  return [
    configurationChart(
      result,
      "configuration-greedy",
      "Greedy accuracy by configuration",
      (entry) => entry.accuracy.greedy.overall,
    ),
    configurationChart(
      result,
      "configuration-hard",
      "Greedy accuracy on hard items",
      (entry) => entry.accuracy.greedy.byLevel.hard,
    ),
    configurationChart(
      result,
      "configuration-easy",
      "Greedy accuracy on easy items",
      (entry) => entry.accuracy.greedy.byLevel.easy,
    ),
    configurationChart(
      result,
      "configuration-majority",
      `Majority-of-${k} accuracy by configuration`,
      (entry) => entry.accuracy.majority?.overall,
    ),
    accuracyChart(result, "greedy", "Greedy accuracy per run", (run, iteration) =>
      share(run.solvers[iteration]?.greedy),
    ),
    accuracyChart(result, "greedy-hard", "Greedy accuracy on hard items per run", (run, iteration) =>
      share(run.solvers[iteration]?.greedyByLevel.hard),
    ),
    accuracyChart(result, "majority", `Majority-of-${k} accuracy per run`, (run, iteration) =>
      share(run.solvers[iteration]?.majority),
    ),
  ];
}

function oracleChart(
  result: ExperimentResult,
  id: string,
  title: string,
  description: string,
  read: (iteration: IterationOracle) => number | null,
): ChartSpec {
  // The loop's iterations only: the base has no phases of its own.
  const all = iterationAxis(result);
  const axis = { ...all, x: all.x.slice(1), xTicks: all.xTicks.slice(1) };
  return chartOf({
    id,
    title,
    description: `${description} Analysis only (oracle).`,
    ...axis,
    yLabel: "share",
    yRange: unitRange,
    series: result.runs.map((run) => ({
      label: runLabel(run),
      values: axis.x.map((iteration) => {
        const entry = run.oracle.find((oracle) => oracle.iteration === iteration);
        return entry === undefined ? null : read(entry);
      }),
    })),
  });
}

function solverPhase(iteration: IterationOracle): PhaseOracle | undefined {
  return iteration.phases.find((phase) => phase.phase === "solver");
}

function estimate(value: ProportionInterval | null | undefined): number | null {
  return value?.estimate ?? null;
}

function oracleCharts(result: ExperimentResult): ChartSpec[] {
  return [
    oracleChart(
      result,
      "pseudo-labels",
      "Pseudo-label accuracy",
      "Solver dataset majority labels that are the true answer.",
      (iteration) => estimate(iteration.solverDataset?.pseudoLabelAccuracy),
    ),
    oracleChart(
      result,
      "votes",
      "Single-vote accuracy on the dataset items",
      "The voting Solver's single answers on the same items.",
      (iteration) => estimate(iteration.solverDataset?.voteAccuracy),
    ),
    oracleChart(
      result,
      "dataset-greedy",
      "Greedy accuracy on the dataset items",
      "The voting Solver's greedy answers on the same items (pseudo-labels should beat it).",
      (iteration) => estimate(iteration.solverDataset?.greedyAccuracy),
    ),
    oracleChart(
      result,
      "grammar",
      "Proposer captions in the grammar",
      "Proposer_i's Solver-dataset proposals whose caption the world grammar parses.",
      (iteration) => estimate(solverPhase(iteration)?.captionsInGrammar),
    ),
    oracleChart(
      result,
      "easy-right",
      "Proposer easy answers right",
      "Proposer_i's easy answers on its Solver-dataset proposals.",
      (iteration) => estimate(solverPhase(iteration)?.proposerEasyAnswerRight),
    ),
    oracleChart(
      result,
      "fidelity",
      "Coder caption fidelity",
      "Coder_i's Solver-dataset SVGs that draw exactly their caption.",
      (iteration) => estimate(solverPhase(iteration)?.captionFidelity),
    ),
    oracleChart(
      result,
      "render-rate",
      "Coder render rate",
      "Coder_i's Solver-dataset SVGs that render.",
      (iteration) => solverPhase(iteration)?.renderRate ?? null,
    ),
    oracleChart(
      result,
      "hard-consistency",
      "Mean hard consistency",
      "Majority share of the voting Solver's answers to the hard questions (not an oracle figure).",
      (iteration) => solverPhase(iteration)?.hardConsistencyMean ?? null,
    ),
  ];
}

function deltaTableHtml(title: string, delta: ByDecoding<Breakdown<PairedDelta>>): string {
  const majority = delta.majority === null ? null : breakdownRows(delta.majority);
  const rows = breakdownRows(delta.greedy).map(([name, greedy], index) => {
    const perSeed = greedy.perSeed.map((seed) => `s${seed.seed} ${deltaText(seed)}`).join("; ");
    const other = majority?.[index]?.[1];
    return [
      name,
      String(greedy.n),
      deltaText(greedy),
      deltaText(greedy.acrossSeeds),
      perSeed,
      other === undefined ? "–" : deltaText(other),
    ].map(escapeHtml);
  });
  return `<h3>${escapeHtml(title)}</h3>${tableHtml(
    ["group", "items", "greedy Δ [95%] (points)", "across seeds [95%]", "per seed", "majority Δ [95%]"],
    rows,
  )}`;
}

function tablesHtml(result: ExperimentResult): string {
  const parts: string[] = [];
  for (const configuration of result.analysis.configurations) {
    const final = configuration.iterations.at(-1);
    if (final?.vsBase != null)
      parts.push(
        deltaTableHtml(`${configuration.name}: iteration ${final.iteration} minus base`, final.vsBase),
      );
  }
  for (const comparison of result.analysis.comparisons)
    parts.push(
      deltaTableHtml(
        `${comparison.b} (iteration ${comparison.iterationB}) minus ${comparison.a} (iteration ${comparison.iterationA})`,
        comparison.delta,
      ),
    );
  return parts.join("\n");
}

/** Each run's hard-consistency histogram at its last iteration (Solver-phase dataset votes). */
function consistencyChart(result: ExperimentResult): ChartSpec {
  const shares = result.runs.map((run) => {
    const last = run.oracle.at(-1);
    return {
      run,
      last,
      values: last === undefined ? null : (solverPhase(last)?.hardConsistencyShares ?? null),
    };
  });
  const bins = Math.max(0, ...shares.map((entry) => entry.values?.length ?? 0));
  const x = Array.from({ length: bins }, (_, bin) => (bin + 0.5) / bins);
  return chartOf({
    id: "hard-consistency-histogram",
    title: "Hard-consistency distribution, last iteration",
    description:
      "Share of the voting Solver's hard questions per majority-share bin (Solver-phase dataset); the band [0.25, 0.75] makes the dataset.",
    x,
    xTicks: x.map((centre) => centre.toFixed(2)),
    xLabel: "hard consistency (bin centre)",
    yLabel: "share of questions",
    yRange: unitRange,
    series: shares.map(({ run, last, values }) => ({
      label: `${runLabel(run)} i${last?.iteration ?? "–"}`,
      values: x.map((_, bin) => values?.[bin] ?? null),
    })),
  });
}

export async function experimentPageHtml(result: ExperimentResult): Promise<string> {
  const assets = await loadReportAssets();
  const solver = solverCharts(result);
  const oracle = [...oracleCharts(result), consistencyChart(result)];
  const charts = [...solver, ...oracle];
  const data = {
    charts: Object.fromEntries(charts.filter(chartHasData).map((chart) => [chart.id, chart])),
    refreshSeconds: null,
    status: "completed",
  };
  const scripts = [assets.chartLibraryScript, assets.pageScript];
  const names = result.configurations.map((configuration) => configuration.name).join(", ");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(scripts))}">
<title>${escapeHtml(`mmzero experiment · ${names}`)}</title>
<link rel="icon" href="data:,">
<style>${assets.chartLibraryStyles}
${assets.pageStyles}</style>
</head>
<body>
<header class="top"><h1>mmzero experiment</h1>
<div class="subtitle">configurations ${escapeHtml(names)} · seeds ${escapeHtml(result.seeds.join(", "))} · ${result.benchmark.items} benchmark items · majority of ${result.evaluation.samples} at temperature ${result.evaluation.temperature}</div></header>
<main>
<section class="panel" id="solver"><h2>Solver on the public benchmark</h2>${chartGridHtml(solver)}
<p class="lead">${escapeHtml(result.analysis.intervalMethod)}</p>${tablesHtml(result)}</section>
<section class="panel oracle" id="oracle"><h2>Oracle analysis <span class="oracle-label">analysis only (oracle)</span></h2>
<p class="lead">Per iteration, from the Solver phase's dataset: Proposer_i's proposals, Coder_i's SVGs, Solver_{i-1}'s votes. The oracle never enters the loop.</p>${chartGridHtml(oracle)}</section>
</main>
<footer class="bottom">Built by <code>mmzero experiment</code> from the runs' logs and the cached evaluations. Charts: uPlot.</footer>
<script type="application/json" id="report-data">${jsonForScript(data)}</script>
<script>${assets.chartLibraryScript}</script>
<script>${assets.pageScript}</script>
</body>
</html>
`;
}
