import { setTimeout as sleep } from "node:timers/promises";
import type { JetStreamConnection } from "./connection.ts";
import { JetStreamUnavailableError } from "./errors.ts";

/** Why: short enough to resume within a fraction of a second once the server is back. */
const retryDelayMinMs = 25;
const retryDelayMaxMs = 500;

function hasNumericField(error: object, field: "status"): boolean {
  return field in error && typeof Reflect.get(error, field) === "number";
}

/**
 * Errors that a restarting or briefly unreachable server produces, after which the same request may
 * succeed: a missing acknowledgement, no responders while JetStream recovers its streams, or a 503.
 * A closed connection is not transient: nothing would retry it.
 */
export function isTransientNatsError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  switch (error.name) {
    case "TimeoutError":
    case "NoResponders":
    case "JetStreamNotEnabled":
      return true;
    case "RequestError":
      return error.message.includes("no responders");
    case "JetStreamApiError":
      return hasNumericField(error, "status") && Reflect.get(error, "status") === 503;
    default:
      return false;
  }
}

export interface RetryTransientOptions {
  /** What is being retried, for the error message ("append of run r1 seq 12"). */
  readonly operation: string;
  /** Give up with JetStreamUnavailableError after this long. */
  readonly deadlineMs: number;
}

/**
 * Runs `attempt` until it succeeds, fails with a non-transient error, or the deadline passes.
 * The attempt must be safe to repeat (an idempotent publish, a read).
 */
export async function retryTransient<T>(
  connection: JetStreamConnection,
  options: RetryTransientOptions,
  attempt: () => Promise<T>,
): Promise<T> {
  const startedMs = performance.now();
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      const waitedMs = Math.round(performance.now() - startedMs);
      if (!isTransientNatsError(error) || connection.nats.isClosed()) throw error;
      if (waitedMs >= options.deadlineMs) {
        throw new JetStreamUnavailableError(connection.url, options.operation, waitedMs, error);
      }
      await sleep(Math.min(retryDelayMaxMs, retryDelayMinMs * 2 ** Math.min(tries, 10)));
    }
  }
}
