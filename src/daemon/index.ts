export {
  AuthConfigurationError,
  assertAuthFor,
  authTokenCharactersMin,
  bearerMatches,
  isLoopbackHost,
  readAuthToken,
} from "./auth.ts";
export {
  CancellationRecord,
  cancellationFileName,
  readCancellation,
  writeCancellation,
} from "./cancellation.ts";
export {
  type DaemonAddress,
  DaemonRequestError,
  daemonRequestTimeoutMs,
  daemonUrlDefault,
  fetchRunStatus,
  RefusalReply,
  RunListReply,
  RunStatusReply,
  SubmitReply,
  submitRun,
} from "./client.ts";
export { createSessionExecutor, type RunExecutor, type RunReport, type RunRequest } from "./executor.ts";
export { type HttpApi, type HttpApiOptions, startHttpApi, submissionBytesMax } from "./http-api.ts";
export {
  confineRunInputs,
  InputFileRefusedError,
  type RunInputCheck,
  readDirectoriesDefault,
  resolveReadDirectories,
} from "./input-files.ts";
export {
  createFileLogInspector,
  createNatsLogInspector,
  type LogInspector,
  type RecordedEnding,
  recordedEnding,
} from "./log-inspector.ts";
export { DaemonMetrics, type MetricSources, renderedOutcome } from "./metrics.ts";
export {
  type Liveness,
  type LivenessInput,
  livenessOf,
  type Readiness,
  type ReadinessInput,
  readinessOf,
} from "./readiness.ts";
export {
  addRewardSample,
  type RewardSample,
  type RewardWindow,
  rewardMeans,
  totalComponent,
} from "./reward-means.ts";
export {
  type CancelOutcome,
  DaemonDrainingError,
  type DaemonOptions,
  RunAlreadyEndedError,
  RunDaemon,
  type RunView,
  type SubmitOutcome,
  UnknownRunError,
} from "./run-daemon.ts";
export { prefersHtml, runListHtml } from "./run-list.ts";
export { runPageHtml } from "./run-page.ts";
export {
  QueueFullError,
  type RunEntry,
  type RunFailure,
  type RunStatus,
  RunTable,
  runStatuses,
} from "./run-table.ts";
export {
  type DrainReport,
  drainDeadlineMs,
  queueMaxDefault,
  runStopWaitMs,
  type ServeOptions,
  type ServingDaemon,
  serveDaemon,
  stallLimitSecondsDefault,
  stallWindowMsDefault,
} from "./serve.ts";
export { statusPageHtml, statusPageRefreshSeconds } from "./status-page.ts";
export {
  checkSubmissionShape,
  InvalidSubmissionError,
  type ResolvedSubmission,
  readSubmissions,
  resolveSubmission,
  StoredSubmission,
  SubmissionRequest,
  submissionDepthMax,
  submissionFileName,
  writeSubmission,
} from "./submission.ts";
export {
  createTimedProgress,
  type MonotonicClock,
  type ScheduledUnit,
  type TimedProgress,
  type UnitLabels,
  unitLabelsByDescription,
} from "./unit-timing.ts";
