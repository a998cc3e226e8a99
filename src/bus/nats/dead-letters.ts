import { RetentionPolicy, StorageType, type StreamConfig } from "@nats-io/jetstream";
import { headers } from "@nats-io/transport-node";
import {
  ensureStream,
  type JetStreamConnection,
  retentionViolations,
  type StreamSettingViolation,
} from "../../store/jetstream/index.ts";
import type { DeadLetter } from "../bus.ts";
import { WorkSubjectsCapturedError } from "./errors.ts";

/**
 * Work travels as core NATS request/reply on these subjects. No JetStream stream may ever bind them:
 * a stream captures every request and answers the reply inbox with its publish acknowledgement
 * before any worker does, so every call fails (issue 15, defect 1).
 */
export const workSubjectWildcard = "mmzero.work.>";
/** Dead letters live on their own subjects and stream, disjoint from the work subjects. */
export const deadLetterStreamName = "MMZERO_DEAD";
export const deadLetterSubjectPrefix = "mmzero.dead";
/** Why: a header value must stay one line and small; the full original message is the body. */
export const deadLetterReasonCharsMax = 1000;

export const reasonHeader = "Mmzero-Dead-Reason";
export const subjectHeader = "Mmzero-Dead-Subject";

/** The dead-letter subject of a work subject: one token after the prefix, so `mmzero.dead.>` holds them all. */
export function deadLetterSubject(workSubject: string): string {
  return `${deadLetterSubjectPrefix}.${workSubject.replaceAll(".", "_")}`;
}

function deadLetterStreamConfig(): Partial<StreamConfig> & { name: string } {
  return {
    name: deadLetterStreamName,
    description: "mmzero dead letters: work messages an actor refused, with the reason",
    subjects: [`${deadLetterSubjectPrefix}.>`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_msgs: -1,
    max_bytes: -1,
    max_age: 0,
    num_replicas: 1,
  };
}

/** What the dead-letter stream must have besides keeping everything: only its own subjects. */
function deadLetterViolations(config: StreamConfig): StreamSettingViolation[] {
  const found = retentionViolations(config);
  const wildcard = `${deadLetterSubjectPrefix}.>`;
  if (config.subjects.length !== 1 || config.subjects[0] !== wildcard) {
    found.push({
      setting: "subjects",
      actual: JSON.stringify(config.subjects),
      required: `exactly ["${wildcard}"]`,
      risk: "a stream on other subjects can capture work requests or miss dead letters",
    });
  }
  return found;
}

/**
 * Refuses to work on a server where a JetStream stream binds the work subjects (for example
 * MMZERO_WORK, left by an mmzero before this check): every run on it would fail. Nothing is deleted
 * here; the error names the streams and how to remove them.
 */
export async function assertWorkSubjectsFree(connection: JetStreamConnection): Promise<void> {
  const capturing: string[] = [];
  for await (const name of connection.manager.streams.names(workSubjectWildcard)) capturing.push(name);
  if (capturing.length > 0) throw new WorkSubjectsCapturedError(workSubjectWildcard, capturing);
}

/** Stores a dead letter on its subject in MMZERO_DEAD (see ensureDeadLetterStream); resolves once the server has it. */
export async function publishDeadLetter(connection: JetStreamConnection, letter: DeadLetter): Promise<void> {
  const letterHeaders = headers();
  letterHeaders.set(reasonHeader, letter.reason.replaceAll(/\s+/g, " ").slice(0, deadLetterReasonCharsMax));
  letterHeaders.set(subjectHeader, letter.subject);
  await connection.jetstream.publish(
    deadLetterSubject(letter.subject),
    new TextEncoder().encode(JSON.stringify(letter.message)),
    { headers: letterHeaders },
  );
}

/** Creates MMZERO_DEAD when absent and refuses it if it could lose letters or bind other subjects. */
export function ensureDeadLetterStream(connection: JetStreamConnection): Promise<StreamConfig> {
  return ensureStream(connection, deadLetterStreamConfig(), deadLetterViolations);
}
