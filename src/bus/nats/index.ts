export { NoResponderError, RequestTimeoutError } from "../bus.ts";
export {
  assertWorkSubjectsFree,
  deadLetterReasonCharsMax,
  deadLetterStreamName,
  deadLetterSubject,
  deadLetterSubjectPrefix,
  ensureDeadLetterStream,
  publishDeadLetter,
  reasonHeader as deadLetterReasonHeader,
  subjectHeader as deadLetterSubjectHeader,
  workSubjectWildcard,
} from "./dead-letters.ts";
export { MalformedReplyError, RemoteRequestError, WorkSubjectsCapturedError } from "./errors.ts";
export { type Decoded, decodeJson, encodeJson, type JsonSchema } from "./json-codec.ts";
export {
  type RequestContract,
  type Responder,
  requestReply,
  type ServeRequestsOptions,
  serveRequests,
} from "./request-reply.ts";
