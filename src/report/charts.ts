import type { ChartSpec } from "./chart-spec.ts";
import { benchmarkCharts, iterationCharts, oracleCharts } from "./iteration-charts.ts";
import type { ReportMetrics } from "./metrics.ts";
import { coderCharts, grpoCharts, proposerCharts, solverCharts } from "./step-charts.ts";

/** The page's charts by section (docs/report.md lists them). */
export interface ChartSections {
  readonly benchmark: readonly ChartSpec[];
  readonly proposer: readonly ChartSpec[];
  readonly coder: readonly ChartSpec[];
  readonly solver: readonly ChartSpec[];
  readonly iterations: readonly ChartSpec[];
  readonly grpo: readonly ChartSpec[];
  readonly oracle: readonly ChartSpec[];
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
