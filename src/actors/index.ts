/**
 * mmzero actors: public surface (the rest of the folder is internal).
 */
export { hostWorker, WorkerJobError } from "./host-worker.ts";
export { type EvaluationItem, LoopRun, type ProgressSink } from "./loop/context.ts";
export { type BasePolicy, initialPolicyState, type PolicyState } from "./loop/policy-state.ts";
export { resumePoint } from "./loop/resume.ts";
export { describeUnit, executeUnit } from "./loop/units.ts";
export {
  decodeMessage,
  type GenerateMessage,
  type GenerateReply,
  type GenerationMessage,
  type GenerationRequestMessage,
  MalformedMessageError,
  type RenderResultMessage,
  type TrainingSequenceMessage,
  type UpdateMessage,
  type UpdateReply,
} from "./messages.ts";
export type { LoopServices } from "./ports.ts";
export { type Clock, DeterminismViolationError, type Recorder, RunRecorder } from "./recorder.ts";
export {
  type LoopFailure,
  type LoopOutcome,
  replayLoop,
  runIdOf,
  runLoop,
  runStartedSpec,
  scheduleOf,
} from "./runtime.ts";
export { buildSchedule, phaseOrder, resumeIndex, type ScheduleUnit, unitKey } from "./schedule.ts";
export { ModelService } from "./services/model-service.ts";
export { RecentBlobs, recentBlobBytesMax } from "./services/recent-blobs.ts";
export { RenderService } from "./services/render-service.ts";
export {
  busLoopServices,
  hostActors,
  parseWorkerRoles,
  type WorkerRole,
  workerRoles,
  workSubjects,
} from "./wiring.ts";
