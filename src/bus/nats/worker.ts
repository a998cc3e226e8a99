import {
  AckPolicy,
  type Consumer,
  type ConsumerMessages,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JsMsg,
} from "@nats-io/jetstream";
import { millis, nanos } from "@nats-io/transport-node";
import type { JetStreamConnection } from "../../store/jetstream/index.ts";
import { publishDeadLetter } from "./dead-letter.ts";
import { decodeJson } from "./json-codec.ts";
import { type WorkKind, workStreamName, workSubject } from "./work-queue.ts";

export interface WorkerOptions {
  /** A job taken by a worker that neither finishes it nor reports progress is offered again after this. @default 30000 */
  readonly ackWaitMs?: number;
  /** Deliveries of one job before it is dead-lettered (a failing handler) or left (a crashing worker). @default 5 */
  readonly maxDeliver?: number;
  /** Delay before a job whose handler failed is offered again. @default 1000 */
  readonly retryDelayMs?: number;
  /** Lifetime of one pull request: the longest an idle worker takes to notice stop(). @default 5000 (min 1000) */
  readonly pullExpiresMs?: number;
  /** Told about every job that was dead-lettered or retried and every pull that failed, for logs. */
  readonly onProblem?: (problem: WorkerProblem) => void;
}

export type WorkerProblem =
  | { readonly kind: "dead-lettered"; readonly workSequence: number; readonly reason: string }
  | { readonly kind: "retrying"; readonly workSequence: number; readonly reason: string }
  | { readonly kind: "ack-failed"; readonly workSequence: number; readonly reason: string }
  | { readonly kind: "handed-back"; readonly workSequence: number }
  | { readonly kind: "pull-failed"; readonly reason: string };

export interface WorkContext {
  readonly workSequence: number;
  /** 1 on the first delivery; more after a worker died or a handler failed. */
  readonly deliveryCount: number;
  /**
   * Aborted when the worker is stopping: a handler that cannot finish soon rejects, and the job is
   * handed back at once (redelivered to another worker without waiting for the ack wait).
   */
  readonly signal: AbortSignal;
}

export type WorkHandler<Message> = (message: Message, context: WorkContext) => Promise<void>;

export interface Worker extends AsyncDisposable {
  readonly kind: string;
  /** Stops taking jobs, aborts the handler's signal, waits for the job in hand to be acknowledged or handed back. */
  stop(): Promise<void>;
}

/** The durable name shared by every worker of a kind, so they compete for its jobs. */
export function workConsumerName(kind: WorkKind<unknown>): string {
  return `mmzero-work-${kind.name}`;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Creates the kind's durable pull consumer, or updates its ack wait and delivery limit. */
async function ensureWorkConsumer(
  connection: JetStreamConnection,
  kind: WorkKind<unknown>,
  ackWaitMs: number,
  maxDeliver: number,
): Promise<Consumer> {
  const name = workConsumerName(kind);
  const consumers = connection.manager.consumers;
  try {
    const info = await consumers.info(workStreamName, name);
    if (millis(info.config.ack_wait ?? 0) !== ackWaitMs || info.config.max_deliver !== maxDeliver) {
      await consumers.update(workStreamName, name, { ack_wait: nanos(ackWaitMs), max_deliver: maxDeliver });
    }
  } catch (error) {
    if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.ConsumerNotFound)
      throw error;
    await consumers.add(workStreamName, {
      durable_name: name,
      filter_subject: workSubject(kind),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(ackWaitMs),
      max_deliver: maxDeliver,
    });
  }
  return connection.jetstream.consumers.get(workStreamName, name);
}

interface WorkerSettings<Message> {
  readonly connection: JetStreamConnection;
  readonly kind: WorkKind<Message>;
  readonly handle: WorkHandler<Message>;
  readonly ackWaitMs: number;
  readonly maxDeliver: number;
  readonly retryDelayMs: number;
  readonly onProblem: (problem: WorkerProblem) => void;
  readonly stopping: AbortSignal;
}

/** Moves a job that cannot be done to the dead letters, then removes it; if that fails, it stays queued. */
async function deadLetter<Message>(
  settings: WorkerSettings<Message>,
  message: JsMsg,
  reason: string,
): Promise<void> {
  try {
    await publishDeadLetter(settings.connection, settings.kind, {
      reason,
      workSubject: message.subject,
      workSequence: message.seq,
      deliveries: message.info.deliveryCount,
      data: message.data,
    });
  } catch (error) {
    settings.onProblem({
      kind: "retrying",
      workSequence: message.seq,
      reason: `dead letter failed: ${reasonOf(error)}`,
    });
    message.nak(settings.retryDelayMs);
    return;
  }
  settings.onProblem({ kind: "dead-lettered", workSequence: message.seq, reason });
  await acknowledge(settings, message);
}

/** A confirmed ack; if it is lost, the job comes back after the ack wait (handlers are idempotent). */
async function acknowledge<Message>(settings: WorkerSettings<Message>, message: JsMsg): Promise<void> {
  try {
    await message.ackAck();
  } catch (error) {
    settings.onProblem({ kind: "ack-failed", workSequence: message.seq, reason: reasonOf(error) });
  }
}

/** One job: decode, run the handler with progress reports, then acknowledge, retry or dead-letter it. */
async function handleJob<Message>(settings: WorkerSettings<Message>, message: JsMsg): Promise<void> {
  const decoded = decodeJson(settings.kind.schema, message.data);
  if (!decoded.ok) return deadLetter(settings, message, `malformed: ${decoded.reason}`);
  const { deliveryCount } = message.info;
  // Why: a long job must not be redelivered to another worker while this one is alive and working.
  const progress = setInterval(() => message.working(), Math.max(1, Math.floor(settings.ackWaitMs / 2)));
  try {
    await settings.handle(decoded.value, {
      workSequence: message.seq,
      deliveryCount,
      signal: settings.stopping,
    });
  } catch (error) {
    if (settings.stopping.aborted) {
      settings.onProblem({ kind: "handed-back", workSequence: message.seq });
      message.nak();
      return;
    }
    const reason = `handler failed on delivery ${deliveryCount} of ${settings.maxDeliver}: ${reasonOf(error)}`;
    if (deliveryCount >= settings.maxDeliver) return deadLetter(settings, message, reason);
    settings.onProblem({ kind: "retrying", workSequence: message.seq, reason });
    message.nak(settings.retryDelayMs);
    return;
  } finally {
    clearInterval(progress);
  }
  await acknowledge(settings, message);
}

/**
 * Starts a worker of `kind`: it pulls one job at a time from the kind's durable consumer (shared by all
 * workers of the kind, in any process), so a job taken by a worker that dies is redelivered to another
 * after the ack wait. Malformed jobs and jobs that fail on every delivery go to mmzero.dead.<kind>.
 */
export async function startWorker<Message>(
  connection: JetStreamConnection,
  kind: WorkKind<Message>,
  handle: WorkHandler<Message>,
  options: WorkerOptions = {},
): Promise<Worker> {
  const ackWaitMs = options.ackWaitMs ?? 30_000;
  const maxDeliver = options.maxDeliver ?? 5;
  const consumer = await ensureWorkConsumer(connection, kind, ackWaitMs, maxDeliver);
  const stopping = new AbortController();
  const settings: WorkerSettings<Message> = {
    connection,
    kind,
    handle,
    ackWaitMs,
    maxDeliver,
    retryDelayMs: options.retryDelayMs ?? 1000,
    onProblem: options.onProblem ?? (() => {}),
    stopping: stopping.signal,
  };
  let pull: ConsumerMessages | undefined;
  const pullExpiresMs = Math.max(1000, options.pullExpiresMs ?? 5000);
  const loop = (async () => {
    // Why unbounded: a worker serves until stop(); each turn is bounded by the pull's expiry.
    while (!stopping.signal.aborted) {
      try {
        pull = await consumer.fetch({ max_messages: 1, expires: pullExpiresMs });
        if (stopping.signal.aborted) pull.stop();
        for await (const message of pull) await handleJob(settings, message);
      } catch (error) {
        if (stopping.signal.aborted) break;
        settings.onProblem({ kind: "pull-failed", reason: reasonOf(error) });
        await new Promise((resolve) => setTimeout(resolve, settings.retryDelayMs));
      }
    }
  })();
  const stop = async () => {
    stopping.abort();
    pull?.stop();
    await loop;
  };
  return { kind: kind.name, stop, [Symbol.asyncDispose]: stop };
}
