/**
 * Which failures of a run are recoverable: faults of the environment (a full disk, a lost blob, a
 * worker or server that did not answer in time) after which re-executing the same unit can succeed
 * and, every unit being a pure function of the log, produce exactly the events a fault-free run
 * records. They are not written to the log (no RunFailed): the run is left as a crash leaves it, cut
 * between or inside a unit, and resumes to the same content hashes. Everything else (a determinism
 * violation, invalid input, a bug) is permanent and recorded as RunFailed.
 */

/** Error names of environment faults, from any layer (bus, blob store, JetStream, worker processes). */
const recoverableErrorNames: ReadonlySet<string> = new Set([
  "RequestTimeoutError",
  "NoResponderError",
  "BlobNotFoundError",
  "JetStreamUnavailableError",
  "NatsUnreachableError",
  "TimeoutError",
]);

/** System error codes of resources that can come back: disk space, quota, descriptors, I/O. */
const recoverableErrorCodes: ReadonlySet<string> = new Set([
  "ENOSPC",
  "EDQUOT",
  "EMFILE",
  "ENFILE",
  "EIO",
  "EAGAIN",
  "ECONNRESET",
  "ECONNREFUSED",
]);

/** A failure reported across a bus carries only names and text: "RequestTimeoutError: ..." or "ENOSPC: ...". */
const remoteMentionPattern = new RegExp(
  `\\b(${[...recoverableErrorNames, ...recoverableErrorCodes].join("|")})\\b`,
);

function codeOf(error: Error): string | undefined {
  const code = "code" in error ? error.code : undefined;
  return typeof code === "string" ? code : undefined;
}

/** True for a fault of the environment that a resume can get past; see the module comment. */
export function isRecoverableFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (recoverableErrorNames.has(error.name)) return true;
  const code = codeOf(error);
  if (code !== undefined && recoverableErrorCodes.has(code)) return true;
  // A worker's failure arrives as RemoteError/WorkerJobError text; a schema refusal never matches.
  if (error.name === "RemoteError" || error.name === "WorkerJobError")
    return remoteMentionPattern.test(error.message);
  if (error.cause !== undefined) return isRecoverableFailure(error.cause);
  return false;
}
