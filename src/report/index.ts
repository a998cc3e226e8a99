/**
 * The run report (docs/report.md): pure projections over a run's log (per-step and per-iteration
 * metrics, benchmark accuracy with Wilson intervals, oracle analyses, the gallery) and the
 * self-contained HTML page built from them.
 */

export { loadReportAssets } from "./assets.ts";
export {
  type ChartBand,
  type ChartSeries,
  type ChartSpec,
  chartHasData,
  chartOf,
  chartPalette,
  unitRange,
} from "./chart-spec.ts";
export { type ChartSections, reportCharts } from "./charts.ts";
export {
  type GalleryCandidate,
  type GalleryOutcome,
  type GallerySample,
  galleryCandidates,
  galleryDetails,
  galleryOutcomes,
  gallerySamples,
  gallerySamplesMaxDefault,
  type Judgement,
  selectGallerySamples,
} from "./gallery.ts";
export { contentSecurityPolicy, escapeHtml, jsonForScript, tableHtml } from "./html.ts";
export {
  type BenchmarkPoint,
  benchmarkPoint,
  type DatasetView,
  type FunnelView,
  type IterationOverview,
  type IterationRow,
  orderedUnits,
  type ReportMetrics,
  reportMetrics,
  type StepPoint,
} from "./metrics.ts";
export {
  type AnswerVerdict,
  answerVerdict,
  type DepictionVerdict,
  depictionVerdict,
} from "./oracle-checks.ts";
export { chartGridHtml } from "./page-sections.ts";
export {
  applyReportEvent,
  type DatasetItemRecord,
  type DatasetRecord,
  emptyReportState,
  foldReport,
  type ReportState,
  type UnitEntry,
  unitKeyText,
} from "./projection.ts";
export {
  type FoldedRun,
  foldReportEvents,
  foldRunDirectory,
  type ReportOptions,
  RunDirectoryError,
  renderReport,
  renderReportFromState,
  runDirectories,
} from "./render-report.ts";
export {
  parseRunLogFailures,
  type RunLogFailure,
  type RunLogFailures,
  readRunLogFailures,
  runLogFileName,
} from "./run-failures.ts";
export type { PhaseRecord, RecordedRunStatus, RunInfo, UpdateRecord } from "./run-info.ts";
export { stageOfSampleKey } from "./sample-position.ts";
export {
  type MeanInterval,
  meanInterval,
  normalisedEntropy,
  type ProportionInterval,
  shares,
  type Tally,
  tQuantile975,
  wilsonInterval,
  wilsonZ95,
} from "./statistics.ts";
export {
  consistencyBinCount,
  emptyUnitMetrics,
  mergeUnitMetrics,
  type Stage,
  summariseUnit,
  type UnitKey,
  type UnitMetrics,
  type UnitSummary,
} from "./unit-metrics.ts";
