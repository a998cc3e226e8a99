import { Schema } from "effect";

/** Why: every answer of the daemon is computed in memory; a request this slow means it is gone or hung. */
export const daemonRequestTimeoutMs = 10_000;
export const daemonUrlDefault = "http://127.0.0.1:7464";

/** The daemon answered with an error (or not at all); the message carries its reason. */
export class DaemonRequestError extends Error {
  override readonly name = "DaemonRequestError";
  constructor(
    readonly url: string,
    readonly status: number | null,
    readonly reason: string,
  ) {
    super(
      status === null
        ? `cannot reach the daemon at ${url}: ${reason} (is \`mmzero daemon\` running there?)`
        : `the daemon refused (${status}): ${reason}`,
    );
  }
}

/** Every refusal of the daemon (4xx, 5xx): the error's name and a reason a person can act on. */
export const RefusalReply = Schema.Struct({ error: Schema.String, reason: Schema.String });
export type RefusalReply = typeof RefusalReply.Type;

export const SubmitReply = Schema.Struct({
  runId: Schema.String,
  status: Schema.String,
  created: Schema.Boolean,
  statusUrl: Schema.String,
});
export type SubmitReply = typeof SubmitReply.Type;

export const RunStatusReply = Schema.Struct({
  runId: Schema.String,
  status: Schema.String,
  events: Schema.Number,
  currentUnit: Schema.NullOr(Schema.String),
  failure: Schema.NullOr(Schema.Struct({ name: Schema.String, message: Schema.String })),
});
export type RunStatusReply = typeof RunStatusReply.Type;

export const RunListReply = Schema.Struct({ runs: Schema.Array(RunStatusReply) });
export type RunListReply = typeof RunListReply.Type;

/** How to reach a daemon: its URL and, when it has --auth-token-file, the token. */
export interface DaemonAddress {
  readonly url: string;
  readonly token?: string;
}

async function request(address: DaemonAddress, path: string, init: RequestInit): Promise<unknown> {
  const url = new URL(path, address.url).href;
  const headers = new Headers(init.headers);
  if (address.token !== undefined) headers.set("authorization", `Bearer ${address.token}`);
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers, signal: AbortSignal.timeout(daemonRequestTimeoutMs) });
  } catch (error) {
    throw new DaemonRequestError(url, null, error instanceof Error ? error.message : String(error));
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new DaemonRequestError(url, response.status, `not JSON: ${text.slice(0, 200)}`);
  }
  if (!response.ok) {
    const refusal = Schema.decodeUnknownOption(RefusalReply)(body);
    const reason = refusal._tag === "Some" ? `${refusal.value.error}: ${refusal.value.reason}` : text;
    throw new DaemonRequestError(url, response.status, reason);
  }
  return body;
}

/** POST /runs: submits a preset and config overrides; the reply says whether the run is new. */
export async function submitRun(
  daemon: DaemonAddress,
  submission: { readonly preset: string; readonly config?: unknown },
): Promise<SubmitReply> {
  const body = await request(daemon, "/runs", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(submission),
  });
  return Schema.decodeUnknownSync(SubmitReply)(body);
}

/** GET /runs/<id>/status. */
export async function fetchRunStatus(daemon: DaemonAddress, runId: string): Promise<RunStatusReply> {
  const body = await request(daemon, `/runs/${encodeURIComponent(runId)}/status`, {
    method: "GET",
  });
  return Schema.decodeUnknownSync(RunStatusReply)(body);
}
