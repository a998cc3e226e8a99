export { type FieldDifference, firstDifference } from "./diff.ts";
export { ReplayDivergenceError } from "./divergence.ts";
export { ExpectingRecorder } from "./expecting-recorder.ts";
export { type FoldResult, foldRun } from "./fold.ts";
export { MissingRecordedSampleError, recordedGenerations, replayServices } from "./recorded-generations.ts";
export { type RecordedRun, readRecordedRun, UnreplayableRunError } from "./recorded-run.ts";
export { type VerifyResult, verifyRun } from "./verify.ts";
