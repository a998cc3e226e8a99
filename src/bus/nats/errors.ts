/**
 * Typed errors of the NATS work bus: each says what happened and what to do. A timeout and a
 * missing responder are the bus port's own errors (../bus.ts), whichever adapter meets them.
 */

export class RemoteRequestError extends Error {
  override readonly name = "RemoteRequestError";
  constructor(
    readonly subject: string,
    readonly reason: string,
  ) {
    super(`the responder on ${subject} refused the request: ${reason}`);
  }
}

export class MalformedReplyError extends Error {
  override readonly name = "MalformedReplyError";
  constructor(
    readonly subject: string,
    readonly reason: string,
  ) {
    super(
      `the reply on ${subject} is malformed: ${reason}; responder and caller disagree on the message schema`,
    );
  }
}

export class WorkSubjectsCapturedError extends Error {
  override readonly name = "WorkSubjectsCapturedError";
  constructor(
    readonly subjects: string,
    readonly streams: readonly string[],
  ) {
    super(
      `JetStream stream(s) ${streams.join(", ")} bind the work subjects ${subjects}: the server would answer ` +
        "every work request with a publish acknowledgement and every run would fail. mmzero never binds " +
        `them (MMZERO_WORK was left by an older mmzero); remove them with \`nats stream rm ${streams[0]}\`` +
        " (they hold no run data) and start again",
    );
  }
}
