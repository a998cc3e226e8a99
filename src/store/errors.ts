/** Typed store errors: each says what happened and what to do. */

export class AppendConflictError extends Error {
  override readonly name = "AppendConflictError";
  constructor(
    readonly runId: string,
    readonly expectedSeq: number,
    readonly actualSeq: number,
    /** Set when the conflict is a partial retry: these ids of the batch are in the log, the others not. */
    readonly presentIds: readonly string[] = [],
  ) {
    super(
      presentIds.length === 0
        ? `run ${runId}: expected head seq ${expectedSeq}, log is at ${actualSeq}; re-read the log and retry`
        : `run ${runId}: ${presentIds.length} events of the batch (first ${presentIds[0]}) are already in the log ` +
            "and the others are not; a batch is idempotent only as a whole: re-read the log and append the missing events",
    );
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
    super(
      `event log corrupt in ${location} at byte ${offset}: ${reason}; the log must be restored or truncated by hand`,
    );
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
    super(
      `blob ${hash} is corrupt: its bytes hash to ${actualHash}; delete it and re-create it from its source`,
    );
  }
}

/** A pack file of the file blob store is damaged where no interrupted write could have left it. */
export class BlobPackCorruptionError extends Error {
  override readonly name = "BlobPackCorruptionError";
  constructor(
    readonly location: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(
      `blob pack ${location} is corrupt at byte ${offset}: ${reason}; restore the pack from a backup ` +
        `(if nothing after that byte was ever acknowledged, cut it off: truncate -s ${offset} ${location})`,
    );
  }
}

/** Every pack number the file blob store tried was created by other writers first. */
export class BlobPackNumbersTakenError extends Error {
  override readonly name = "BlobPackNumbersTakenError";
  constructor(
    readonly directory: string,
    readonly attempts: number,
  ) {
    super(
      `blob store ${directory}: ${attempts} pack numbers in a row were taken by other writers; ` +
        "is another process creating packs in a loop?",
    );
  }
}

export class LogLockedError extends Error {
  override readonly name = "LogLockedError";
  constructor(
    readonly directory: string,
    /** The pid written in the lock file; null when the file could not be read as a pid. */
    readonly ownerPid: number | null,
  ) {
    super(
      ownerPid === null
        ? `event log ${directory} is locked by a lock file without a readable pid; ` +
            "if no process writes this log, delete its writer.lock"
        : `event log ${directory} is being written by process ${ownerPid}; ` +
            "stop that process first (if it is not an mmzero writer, the pid was reused: delete writer.lock)",
    );
  }
}

export class LogWriteFailedError extends Error {
  override readonly name = "LogWriteFailedError";
  constructor(
    readonly runId: string,
    override readonly cause: unknown,
  ) {
    super(
      `run ${runId}: a write or fsync of the event log failed (${cause instanceof Error ? cause.message : String(cause)}), ` +
        "so what is on disk is uncertain; close the log and reopen it to recover",
    );
  }
}

export class LogRunMismatchError extends Error {
  override readonly name = "LogRunMismatchError";
  constructor(
    readonly directory: string,
    readonly expectedRunId: string,
    readonly foundRunId: string,
  ) {
    super(
      `event log ${directory} holds run ${foundRunId}, not ${expectedRunId}; open it with its own run id`,
    );
  }
}

export class BlobStoreClosedError extends Error {
  override readonly name = "BlobStoreClosedError";
  constructor(readonly location: string) {
    super(`blob store ${location} is closed; open a new one`);
  }
}

/** A record a newer mmzero wrote (an event version or type this one does not know): not damage. */
export class LogFromNewerVersionError extends Error {
  override readonly name = "LogFromNewerVersionError";
  constructor(
    readonly location: string,
    readonly offset: number,
    override readonly cause: Error,
  ) {
    super(`event log ${location} at byte ${offset}: ${cause.message}; nothing was changed`);
  }
}

/** A path given as a run that holds no event log: says what was expected and what was found. */
export class NotARunDirectoryError extends Error {
  override readonly name = "NotARunDirectoryError";
  constructor(
    readonly path: string,
    readonly found: string,
  ) {
    super(
      `${path} is not a run directory: expected an events/ directory holding an event log (events-000001.seg, ...), but ${found}`,
    );
  }
}

/** The log is shorter than what it durably recorded as acknowledged: events or a segment vanished. */
export class LogHeadLostError extends Error {
  override readonly name = "LogHeadLostError";
  constructor(
    readonly directory: string,
    readonly reason: string,
  ) {
    super(
      `event log ${directory} lost acknowledged events: ${reason}; restore the missing segment files from a backup (nothing was changed)`,
    );
  }
}
