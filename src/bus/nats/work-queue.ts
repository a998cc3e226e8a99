import { RetentionPolicy, StorageType, type StreamConfig } from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";
import {
  ensureStream,
  type JetStreamConnection,
  retentionViolations,
  retryTransient,
} from "../../store/jetstream/index.ts";
import { WorkKindError, WorkMessageError } from "./errors.ts";
import { encodeJson, type JsonSchema } from "./json-codec.ts";

/** Work waiting for a worker: removed once a worker acknowledges it (workqueue retention). */
export const workStreamName = "MMZERO_WORK";
export const workSubjectPrefix = "mmzero.work";
/** Messages no worker could take (malformed, or failed on every delivery), kept for inspection. */
export const deadLetterStreamName = "MMZERO_DEAD";
export const deadLetterSubjectPrefix = "mmzero.dead";
/** Why: re-publishing the same job (a coordinator restarting) within this window is one job. */
export const workDuplicateWindowMs = 2 * 60_000;

/** A kind of work (render, code, solve): its subject token and the schema every message must fit. */
export interface WorkKind<Message> {
  readonly name: string;
  readonly schema: JsonSchema<Message>;
}

const kindPattern = /^[A-Za-z0-9_-]{1,64}$/;

export function defineWorkKind<Message>(name: string, schema: JsonSchema<Message>): WorkKind<Message> {
  if (!kindPattern.test(name)) throw new WorkKindError(name);
  return { name, schema };
}

export function workSubject(kind: WorkKind<unknown>): string {
  return `${workSubjectPrefix}.${kind.name}`;
}

export function deadLetterSubject(kind: WorkKind<unknown>): string {
  return `${deadLetterSubjectPrefix}.${kind.name}`;
}

function streamConfig(
  name: string,
  subject: string,
  retention: RetentionPolicy,
  description: string,
): Partial<StreamConfig> & { name: string } {
  return {
    name,
    description,
    subjects: [`${subject}.>`],
    retention,
    storage: StorageType.File,
    max_msgs: -1,
    max_bytes: -1,
    max_age: 0,
    num_replicas: 1,
    duplicate_window: nanos(workDuplicateWindowMs),
  };
}

/** Creates the work and dead-letter streams when absent and refuses them if they could lose messages. */
export async function ensureWorkStreams(connection: JetStreamConnection): Promise<void> {
  const work = RetentionPolicy.Workqueue;
  const kept = RetentionPolicy.Limits;
  await ensureStream(
    connection,
    streamConfig(workStreamName, workSubjectPrefix, work, "mmzero work"),
    (config) => retentionViolations(config, work),
  );
  await ensureStream(
    connection,
    streamConfig(deadLetterStreamName, deadLetterSubjectPrefix, kept, "mmzero dead letters"),
    (config) => retentionViolations(config, kept),
  );
}

export interface PublishWorkOptions {
  /**
   * The job's logical id (its sample or step key), sent as Nats-Msg-Id: publishing the same id again
   * within the dedupe window is one job, which is what makes retrying a publish safe.
   */
  readonly workId: string;
  /** Wait for the server's acknowledgement before retrying the publish. @default 2000 */
  readonly ackTimeoutMs?: number;
  /** Keep retrying through a server restart this long before JetStreamUnavailableError. @default 60000 */
  readonly retryDeadlineMs?: number;
}

export interface PublishedWork {
  readonly streamSequence: number;
  /** True when a job with this workId was already queued. */
  readonly duplicate: boolean;
}

/** Validates the message against its kind's schema and queues it; resolves once the server has it. */
export async function publishWork<Message>(
  connection: JetStreamConnection,
  kind: WorkKind<Message>,
  message: Message,
  options: PublishWorkOptions,
): Promise<PublishedWork> {
  const encoded = encodeJson(kind.schema, message);
  if (!encoded.ok) throw new WorkMessageError(kind.name, encoded.reason);
  const operation = `publish of ${kind.name} work ${options.workId}`;
  const ack = await retryTransient(
    connection,
    { operation, deadlineMs: options.retryDeadlineMs ?? 60_000 },
    () =>
      connection.jetstream.publish(workSubject(kind), encoded.value, {
        // Why the kind in it: the dedupe window is per stream, and two kinds may use the same key.
        msgID: `${kind.name}:${options.workId}`,
        timeout: options.ackTimeoutMs ?? 2000,
      }),
  );
  return { streamSequence: ack.seq, duplicate: ack.duplicate };
}
