export {
  type DeadLetter,
  deadLetterReasonCharsMax,
  publishDeadLetter,
  readDeadLetters,
} from "./dead-letter.ts";
export {
  MalformedReplyError,
  NoResponderError,
  RemoteRequestError,
  RequestTimeoutError,
  WorkKindError,
  WorkMessageError,
} from "./errors.ts";
export { type Decoded, decodeJson, encodeJson, type JsonSchema } from "./json-codec.ts";
export {
  type RequestContract,
  type Responder,
  requestReply,
  type ServeOptions,
  serveRequests,
} from "./request-reply.ts";
export {
  deadLetterStreamName,
  deadLetterSubject,
  deadLetterSubjectPrefix,
  defineWorkKind,
  ensureWorkStreams,
  type PublishedWork,
  type PublishWorkOptions,
  publishWork,
  type WorkKind,
  workStreamName,
  workSubject,
} from "./work-queue.ts";
export {
  startWorker,
  type WorkContext,
  type Worker,
  type WorkerOptions,
  type WorkerProblem,
  type WorkHandler,
  workConsumerName,
} from "./worker.ts";
