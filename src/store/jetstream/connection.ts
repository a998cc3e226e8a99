import assert from "node:assert/strict";
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { JetStreamDisabledError, NatsServerVersionError, NatsUnreachableError } from "./errors.ts";

/**
 * Why 2.9.10: the oldest server measured with everything mmzero uses (Nats-Msg-Id dedupe, expected
 * last subject sequence, ordered consumers, durable pull consumers); it is Debian 12's package.
 */
export const natsServerVersionMin = "2.9.10";

export interface NatsConnectOptions {
  /** Client name in the server's monitoring pages. @default "mmzero" */
  readonly name?: string;
  /** How long the first connection may take before NatsUnreachableError. @default 2000 */
  readonly connectTimeoutMs?: number;
  /** First delay between reconnect attempts; it doubles per failed attempt. @default 50 */
  readonly reconnectDelayMinMs?: number;
  /** Upper bound of the reconnect delay; attempts never stop during a run. @default 2000 */
  readonly reconnectDelayMaxMs?: number;
  /** Timeout of one JetStream API request or publish acknowledgement. @default 5000 */
  readonly requestTimeoutMs?: number;
}

/** One NATS connection with its JetStream client and manager, shared by the log, blob and bus adapters. */
export interface JetStreamConnection extends AsyncDisposable {
  readonly url: string;
  readonly serverVersion: string;
  readonly nats: NatsConnection;
  readonly jetstream: JetStreamClient;
  readonly manager: JetStreamManager;
  /** Reconnects since connect: for logs, metrics and tests. */
  readonly reconnects: number;
  /** Whether the client holds a live connection now (false while it is reconnecting). */
  readonly connected: boolean;
  /** Resolves when the connection is lost: at once while it is reconnecting, else at the next loss. */
  lost(): Promise<void>;
  /** Drains (finishes in-flight work, flushes) and closes. Idempotent. Waits for a reconnect when the server is gone. */
  close(): Promise<void>;
  /**
   * Closes without draining: stops reconnecting, fails what is pending. For a process that must exit
   * when the server is gone or a drain ran past its deadline.
   */
  closeNow(): Promise<void>;
}

type VersionTriple = readonly [major: number, minor: number, patch: number];

/** "2.9.10" or "2.10.0-beta.3" -> [2, 9, 10] / [2, 10, 0]; undefined when not a server version. */
export function parseServerVersion(text: string): VersionTriple | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(text.trim());
  if (match === null) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** Whether `version` is at least `minimum` (pre-release suffixes count as their release). */
export function isVersionAtLeast(version: string, minimum: string): boolean {
  const actual = parseServerVersion(version);
  const required = parseServerVersion(minimum);
  assert(required !== undefined, `minimum version ${minimum} is not a version`);
  if (actual === undefined) return false;
  for (let part = 0; part < 3; part++) {
    const difference = (actual[part] ?? 0) - (required[part] ?? 0);
    if (difference !== 0) return difference > 0;
  }
  return true;
}

/**
 * Exponential reconnect delays: the client asks for the delay on every turn of its dial loop (also
 * while it merely waits), so attempts are counted from its "reconnecting" statuses, one per dial.
 */
function reconnectBackoff(minimumMs: number, maximumMs: number) {
  let attempts = 0;
  return {
    delayMs: () => Math.min(maximumMs, minimumMs * 2 ** Math.min(attempts, 30)),
    attempted: () => {
      attempts++;
    },
    reset: () => {
      attempts = 0;
    },
  };
}

type Backoff = ReturnType<typeof reconnectBackoff>;

async function dial(url: string, options: NatsConnectOptions, delayHandler: () => number) {
  try {
    return await connect({
      servers: url,
      name: options.name ?? "mmzero",
      timeout: options.connectTimeoutMs ?? 2000,
      reconnect: true,
      maxReconnectAttempts: -1,
      reconnectDelayHandler: delayHandler,
    });
  } catch (error) {
    throw new NatsUnreachableError(url, error);
  }
}

/**
 * Connects to nats-server at `url`: fails fast with NatsUnreachableError when nothing answers, checks
 * the server version and JetStream, then reconnects forever with exponential backoff while in use.
 */
export async function connectNats(
  url: string,
  options: NatsConnectOptions = {},
): Promise<JetStreamConnection> {
  const backoff = reconnectBackoff(options.reconnectDelayMinMs ?? 50, options.reconnectDelayMaxMs ?? 2000);
  const nats = await dial(url, options, backoff.delayMs);
  try {
    const serverVersion = nats.info?.version ?? "unknown";
    if (!isVersionAtLeast(serverVersion, natsServerVersionMin)) {
      throw new NatsServerVersionError(url, serverVersion, natsServerVersionMin);
    }
    if (nats.info?.jetstream !== true) throw new JetStreamDisabledError(url);
    const timeout = options.requestTimeoutMs ?? 5000;
    const manager = await jetstreamManager(nats, { timeout });
    return openConnection(url, serverVersion, nats, jetstream(nats, { timeout }), manager, backoff);
  } catch (error) {
    await nats.close();
    throw error;
  }
}

function openConnection(
  url: string,
  serverVersion: string,
  nats: NatsConnection,
  client: JetStreamClient,
  manager: JetStreamManager,
  backoff: Backoff,
): JetStreamConnection {
  let reconnects = 0;
  let connected = true;
  const lostListeners = new Set<() => void>();
  void (async () => {
    for await (const status of nats.status()) {
      if (status.type === "reconnecting") backoff.attempted();
      if (status.type === "disconnect") {
        connected = false;
        for (const listener of lostListeners) listener();
        lostListeners.clear();
      }
      if (status.type === "reconnect") {
        reconnects++;
        connected = true;
        backoff.reset();
      }
    }
  })();
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= nats.isClosed() ? Promise.resolve() : nats.drain();
    return closing;
  };
  const closeNow = async () => {
    if (!nats.isClosed()) await nats.close();
  };
  return {
    url,
    serverVersion,
    nats,
    jetstream: client,
    manager,
    get reconnects() {
      return reconnects;
    },
    get connected() {
      return connected && !nats.isClosed();
    },
    lost: () => (connected ? new Promise<void>((resolve) => lostListeners.add(resolve)) : Promise.resolve()),
    close,
    closeNow,
    [Symbol.asyncDispose]: close,
  };
}
