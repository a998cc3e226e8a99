/** Typed errors of the NATS work bus: each says what happened and what to do. */

export class WorkKindError extends Error {
  override readonly name = "WorkKindError";
  constructor(readonly kind: string) {
    super(
      `work kind ${JSON.stringify(kind)} is not a NATS subject token; use 1-64 characters of [A-Za-z0-9_-]`,
    );
  }
}

export class WorkMessageError extends Error {
  override readonly name = "WorkMessageError";
  constructor(
    readonly kind: string,
    readonly reason: string,
  ) {
    super(`message for work kind ${kind} does not fit its schema: ${reason}; fix the producer`);
  }
}

export class RequestTimeoutError extends Error {
  override readonly name = "RequestTimeoutError";
  constructor(
    readonly subject: string,
    readonly timeoutMs: number,
  ) {
    super(
      `no reply on ${subject} within ${timeoutMs} ms; the responder is slow or gone: retry or raise the timeout`,
    );
  }
}

export class NoResponderError extends Error {
  override readonly name = "NoResponderError";
  constructor(readonly subject: string) {
    super(`nothing serves ${subject}; start a responder (an mmzero worker or daemon) and retry`);
  }
}

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
