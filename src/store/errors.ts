/** Typed store errors: each says what happened and what to do. */

export class AppendConflictError extends Error {
  override readonly name = "AppendConflictError";
  constructor(
    readonly runId: string,
    readonly expectedSeq: number,
    readonly actualSeq: number,
  ) {
    super(`run ${runId}: expected head seq ${expectedSeq}, log is at ${actualSeq}; re-read the log and retry`);
  }
}

export class IdConflictError extends Error {
  override readonly name = "IdConflictError";
  constructor(
    readonly runId: string,
    readonly eventId: string,
    readonly seq: number,
  ) {
    super(
      `run ${runId}: event id ${eventId} is already at seq ${seq} with different content; ` +
        "a logical key was reused for a different event (a bug in the producer)",
    );
  }
}

export class LogCorruptionError extends Error {
  override readonly name = "LogCorruptionError";
  constructor(
    readonly location: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`event log corrupt in ${location} at byte ${offset}: ${reason}; the log must be restored or truncated by hand`);
  }
}

export class LogClosedError extends Error {
  override readonly name = "LogClosedError";
  constructor(readonly runId: string) {
    super(`run ${runId}: the event log is closed`);
  }
}

export class BlobNotFoundError extends Error {
  override readonly name = "BlobNotFoundError";
  constructor(readonly hash: string) {
    super(`blob ${hash} is not in the blob store`);
  }
}

export class BlobCorruptionError extends Error {
  override readonly name = "BlobCorruptionError";
  constructor(
    readonly hash: string,
    readonly actualHash: string,
  ) {
    super(`blob ${hash} is corrupt: its bytes hash to ${actualHash}; delete it and re-create it from its source`);
  }
}
