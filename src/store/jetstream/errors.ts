/** Typed errors of the NATS/JetStream adapters: each says what happened and what to do. */

function causeText(cause: unknown): string {
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}

export class NatsUnreachableError extends Error {
  override readonly name = "NatsUnreachableError";
  constructor(
    readonly url: string,
    override readonly cause: unknown,
  ) {
    super(
      `cannot reach nats-server at ${url} (${causeText(cause)}); start one with ` +
        "`nats-server -js -sd <store dir>` (Debian: `apt-get install nats-server`), pass the URL of a running " +
        "server, or run without --nats to use the embedded default",
      { cause },
    );
  }
}

export class NatsServerVersionError extends Error {
  override readonly name = "NatsServerVersionError";
  constructor(
    readonly url: string,
    readonly version: string,
    readonly minimumVersion: string,
  ) {
    super(
      `nats-server at ${url} is version ${version}, but mmzero needs >= ${minimumVersion} ` +
        "(JetStream message dedupe, expected-sequence checks and ordered consumers); upgrade the server",
    );
  }
}

export class JetStreamDisabledError extends Error {
  override readonly name = "JetStreamDisabledError";
  constructor(readonly url: string) {
    super(`nats-server at ${url} runs without JetStream; restart it with \`-js -sd <store dir>\``);
  }
}

/** One stream setting that does not fit its use, with what it is and what it must be. */
export interface StreamSettingViolation {
  readonly setting: string;
  readonly actual: string;
  readonly required: string;
  readonly risk: string;
}

export class StreamSettingsError extends Error {
  override readonly name = "StreamSettingsError";
  constructor(
    readonly stream: string,
    readonly violations: readonly StreamSettingViolation[],
  ) {
    const lines = violations.map((v) => `  ${v.setting} = ${v.actual}, needs ${v.required}: ${v.risk}`);
    super(
      `JetStream stream ${stream} already exists with settings that could lose or refuse data:\n${lines.join("\n")}\n` +
        `fix it (\`nats stream edit ${stream}\`) or delete it if it holds nothing you need; mmzero does not change ` +
        "an existing stream's settings by itself",
    );
  }
}

export class JetStreamUnavailableError extends Error {
  override readonly name = "JetStreamUnavailableError";
  constructor(
    readonly url: string,
    readonly operation: string,
    readonly waitedMs: number,
    override readonly cause: unknown,
  ) {
    super(
      `nats-server at ${url} did not complete ${operation} within ${waitedMs} ms (${causeText(cause)}); ` +
        "check that the server is running; the operation is safe to retry (appends are idempotent by event id)",
      { cause },
    );
  }
}
