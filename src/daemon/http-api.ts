import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Logger } from "pino";
import { assertAuthFor, bearerMatches } from "./auth.ts";
import {
  DaemonDrainingError,
  RunAlreadyEndedError,
  type RunDaemon,
  type RunView,
  UnknownRunError,
} from "./run-daemon.ts";
import { prefersHtml, runListHtml } from "./run-list.ts";
import { runPageHtml } from "./run-page.ts";
import { QueueFullError } from "./run-table.ts";
import { InvalidSubmissionError } from "./submission.ts";

/** Why: a submission is a preset name and config overrides, a few KiB; anything near this is a mistake. */
export const submissionBytesMax = 1024 * 1024;
/** Longer than any client's idle keep-alive (undici 4 s, browsers up to 60 s): the client closes first. */
const keepAliveTimeoutMs = 65_000;
/** What a refused client is told to wait before submitting again (queue full or draining). */
const retryAfterSeconds = 30;

/** The body exceeded submissionBytesMax: 413. */
class SubmissionTooLargeError extends Error {
  override readonly name = "SubmissionTooLargeError";
  constructor() {
    super(`a submission is at most ${submissionBytesMax} bytes of JSON`);
  }
}

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
  readonly headers?: Readonly<Record<string, string>>;
}

function json(status: number, value: unknown, headers?: Readonly<Record<string, string>>): Reply {
  return {
    status,
    body: `${JSON.stringify(value, null, 2)}\n`,
    contentType: "application/json; charset=utf-8",
    ...(headers === undefined ? {} : { headers }),
  };
}

/** Error replies all look alike: the error's name and a reason a person can act on. */
function refusal(status: number, error: Error, headers?: Readonly<Record<string, string>>): Reply {
  return json(status, { error: error.name, reason: error.message }, headers);
}

/**
 * Reads the body up to submissionBytesMax. Past the limit the rest is read and dropped, not left
 * unread: abandoning the stream would reset the connection before the client sees the 413.
 */
async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    bytes += buffer.length;
    if (bytes <= submissionBytesMax) chunks.push(buffer);
  }
  if (bytes > submissionBytesMax) throw new SubmissionTooLargeError();
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidSubmissionError(
      `the body is not JSON (${error instanceof Error ? error.message : String(error)}); send {"preset": "<name>", "config": {...}}`,
    );
  }
}

async function submit(daemon: RunDaemon, request: IncomingMessage): Promise<Reply> {
  try {
    const outcome = await daemon.submit(parseJson(await readBody(request)));
    return json(outcome.created ? 202 : 200, { ...outcome, statusUrl: `/runs/${outcome.runId}/status` });
  } catch (error) {
    if (error instanceof InvalidSubmissionError) return refusal(400, error);
    if (error instanceof SubmissionTooLargeError) return refusal(413, error);
    if (error instanceof QueueFullError)
      return refusal(429, error, { "retry-after": String(retryAfterSeconds) });
    if (error instanceof DaemonDrainingError)
      return refusal(503, error, { "retry-after": String(retryAfterSeconds) });
    throw error;
  }
}

async function runReply(
  view: RunView | undefined,
  runId: string,
  page: { logger: Logger } | null,
): Promise<Reply> {
  if (view === undefined) return json(404, { error: "UnknownRun", reason: `no run ${runId} in this daemon` });
  if (page === null) return json(200, view);
  return { status: 200, body: await runPageHtml(view, page.logger), contentType: "text/html; charset=utf-8" };
}

/** DELETE /runs/<id>: 200 when the run is cancelled, 202 when a running run stops after its unit. */
async function cancel(daemon: RunDaemon, runId: string): Promise<Reply> {
  try {
    const { outcome, run } = await daemon.cancel(runId);
    return json(outcome === "cancelled" ? 200 : 202, { outcome, run });
  } catch (error) {
    if (error instanceof UnknownRunError) return refusal(404, error);
    if (error instanceof RunAlreadyEndedError) return refusal(409, error);
    throw error;
  }
}

/** GET /: the runs, as a page for a browser or as the JSON of GET /runs for anything else. */
function runList(daemon: RunDaemon, accept: string | undefined): Reply {
  if (!prefersHtml(accept)) return json(200, { runs: daemon.list() });
  return { status: 200, body: runListHtml(daemon.list()), contentType: "text/html; charset=utf-8" };
}

/** Routes one request; every path and method the daemon serves is here. */
async function route(daemon: RunDaemon, request: IncomingMessage, logger: Logger): Promise<Reply> {
  const path = new URL(request.url ?? "/", "http://daemon").pathname;
  const method = request.method ?? "GET";
  if (path === "/runs" && method === "POST") return submit(daemon, request);
  // Run ids are [a-z0-9-]: anything else names no run (and needs no URI decoding).
  const runPath = /^\/runs\/([a-z0-9-]+)$/.exec(path);
  if (runPath !== null && method === "DELETE") return cancel(daemon, runPath[1]!);
  if (method !== "GET" && method !== "HEAD")
    return json(
      405,
      { error: "MethodNotAllowed", reason: `${method} ${path} is not served` },
      { allow: path === "/runs" ? "GET, POST" : runPath !== null ? "GET, DELETE" : "GET" },
    );
  if (path === "/") return runList(daemon, request.headers.accept);
  if (path === "/healthz") {
    const liveness = daemon.liveness();
    return json(liveness.alive ? 200 : 503, { status: liveness.status, reason: liveness.reason });
  }
  if (path === "/readyz") {
    const readiness = daemon.readiness();
    return json(readiness.ready ? 200 : 503, readiness);
  }
  if (path === "/metrics")
    return { status: 200, body: await daemon.metrics.text(), contentType: daemon.metrics.contentType };
  if (path === "/runs") return json(200, { runs: daemon.list() });
  const match = /^\/runs\/([a-z0-9-]+)(\/status)?$/.exec(path);
  if (match !== null) {
    const runId = match[1]!;
    return runReply(daemon.view(runId), runId, match[2] === undefined ? { logger } : null);
  }
  return json(404, {
    error: "NotFound",
    reason: `${path} is not served; try /, /runs, /runs/<id>, /runs/<id>/status, /healthz, /readyz, /metrics`,
  });
}

export interface HttpApi extends AsyncDisposable {
  readonly port: number;
  readonly url: string;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

export interface HttpApiOptions {
  /** @default "127.0.0.1"; any other address needs `authToken` */
  readonly host?: string;
  /** Every request but the probes must carry `Authorization: Bearer <token>` (auth.ts). */
  readonly authToken?: string;
  /** 0 picks a free port (the chosen one is in `port`). */
  readonly port: number;
  readonly logger: Logger;
}

function send(response: ServerResponse, reply: Reply, withBody: boolean): void {
  response.writeHead(reply.status, { "content-type": reply.contentType, ...reply.headers });
  response.end(withBody ? reply.body : undefined);
}

/** Why open: a supervisor's liveness and readiness probes carry no token, and they name no run. */
const probePaths = new Set(["/healthz", "/readyz"]);

/** The 401 for a request without the token, or null when it may pass. */
function unauthorized(request: IncomingMessage, token: string | undefined): Reply | null {
  if (token === undefined) return null;
  if (probePaths.has(new URL(request.url ?? "/", "http://daemon").pathname)) return null;
  if (bearerMatches(request.headers.authorization, token)) return null;
  // Why drain: an unread body would reset the connection before the client reads the 401.
  request.resume();
  return json(
    401,
    { error: "Unauthorized", reason: "send Authorization: Bearer <token> (the daemon's --auth-token-file)" },
    { "www-authenticate": "Bearer" },
  );
}

/** The daemon's HTTP API on node:http (the whole surface is nine routes; no framework needed). */
export async function startHttpApi(daemon: RunDaemon, options: HttpApiOptions): Promise<HttpApi> {
  const host = options.host ?? "127.0.0.1";
  assertAuthFor(host, options.authToken);
  const server: Server = createServer((request, response) => {
    const denied = unauthorized(request, options.authToken);
    (denied === null ? route(daemon, request, options.logger) : Promise.resolve(denied)).then(
      (reply) => send(response, reply, request.method !== "HEAD"),
      (error: unknown) => {
        options.logger.error({ err: error, url: request.url }, "request failed");
        // Why not the error's message: it may quote anything (a file, a stack); the log has it.
        send(
          response,
          json(500, {
            error: "InternalError",
            reason: "the request failed; the daemon's log has the details",
          }),
          true,
        );
      },
    );
  });
  // Why: an idle keep-alive socket closed by the server just as a client reuses it resets that
  // request (ECONNRESET, seen under load with pollers); clients (undici: 4 s) give up idle sockets
  // well before this, so they close first.
  server.keepAliveTimeout = keepAliveTimeoutMs;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  assert(address !== null && typeof address === "object", "a TCP server has an address once listening");
  const { port } = address;
  const close = async (): Promise<void> => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  };
  return { port, url: `http://${host}:${port}`, close, [Symbol.asyncDispose]: close };
}
