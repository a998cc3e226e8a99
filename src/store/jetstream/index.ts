export {
  connectNats,
  isVersionAtLeast,
  type JetStreamConnection,
  type NatsConnectOptions,
  natsServerVersionMin,
  parseServerVersion,
} from "./connection.ts";
export {
  JetStreamDisabledError,
  JetStreamUnavailableError,
  NatsServerVersionError,
  NatsUnreachableError,
  StreamSettingsError,
  type StreamSettingViolation,
} from "./errors.ts";
export {
  blobBucketName,
  type JetStreamBlobStore,
  type JetStreamBlobStoreOptions,
  openJetStreamBlobStore,
} from "./jetstream-blob-store.ts";
export { type JetStreamEventLog, type JetStreamLogOptions, openJetStreamLog } from "./jetstream-log.ts";
export { type ReplayOptions, replaySubject, type SubjectMessage } from "./replay.ts";
export {
  ensureStream,
  eventDuplicateWindowMsDefault,
  eventStreamConfig,
  eventStreamName,
  eventStreamViolations,
  eventSubjectPrefix,
  retentionViolations,
  runSubject,
} from "./stream-settings.ts";
export { isTransientNatsError, type RetryTransientOptions, retryTransient } from "./transient.ts";
