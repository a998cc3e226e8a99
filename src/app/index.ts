/**
 * mmzero app: public surface (the rest of the folder is internal).
 */
export { inspectRunDirectory, removeRunOutputs } from "./existing-run.ts";
export { openLocalServices } from "./local-services.ts";
export { pullRun } from "./pull-run.ts";
export {
  BaseImageSizeError,
  BaseModelPresetError,
  committedBasePath,
  loadBasePolicy,
  loadBenchmark,
  loadGrpoConfig,
  loadRewardConfig,
} from "./run-inputs.ts";
export { type ObservedLog, type RunSessionResult, runSession } from "./run-session.ts";
export { createDaemonLogger, type DaemonLoggerOptions } from "./service-logger.ts";
export { startWorkerProcess, workerDrainDeadlineMsDefault } from "./worker-process.ts";
