export { type BlobFileHandle, type BlobFiles, nodeBlobFiles } from "./blob-files.ts";
export type { BlobStore } from "./blob-store.ts";
export {
  AppendConflictError,
  BlobCorruptionError,
  BlobNotFoundError,
  BlobPackCorruptionError,
  BlobPackNumbersTakenError,
  BlobStoreClosedError,
  IdConflictError,
  LogClosedError,
  LogCorruptionError,
  LogFromNewerVersionError,
  LogHeadLostError,
  LogLockedError,
  LogRunMismatchError,
  LogWriteFailedError,
  NotARunDirectoryError,
} from "./errors.ts";
export type { AppendOptions, EventLog, LogHead, ReadRange, RecordedEvent, TailOptions } from "./event-log.ts";
export { FileBlobStore, openFileBlobStore } from "./file-blob-store.ts";
export {
  describeNotice,
  type FileEventLog,
  type FileLogNotice,
  type FileLogOpenReport,
  type FileLogOptions,
  openFileLog,
} from "./file-log.ts";
export { type ReadOnlyTail, readFileLogReadOnly } from "./file-log-reader.ts";
export { errorCode } from "./file-system.ts";
export { type CombinedState, combineProjections, foldEvents, foldLog, type Projection } from "./fold.ts";
export { headFileName } from "./log-head.ts";
export { MemoryBlobStore, openMemoryBlobStore } from "./memory-blob-store.ts";
export { MemoryEventLog, openMemoryLog } from "./memory-log.ts";
export { matchesRecorded } from "./recorded-content.ts";
export type { TornTail } from "./recovery.ts";
export { runEventsDirectory } from "./run-directory.ts";
export { segmentName } from "./segment-format.ts";
export {
  type FsyncPolicy,
  fsyncIntervalMsDefault,
  fsyncRecordsMaxDefault,
  segmentBytesMaxDefault,
} from "./segment-writer.ts";
export {
  type ChainMismatch,
  type ChainStart,
  type ChainVerification,
  type ChainVerified,
  verifyChain,
} from "./verify-chain.ts";
export { writeLockFileName } from "./write-lock.ts";
