import { headers } from "@nats-io/transport-node";
import { type JetStreamConnection, replaySubject } from "../../store/jetstream/index.ts";
import { deadLetterStreamName, deadLetterSubject, type WorkKind } from "./work-queue.ts";

/** Why: a header value must stay one line and small; the full original message is the body. */
export const deadLetterReasonCharsMax = 1000;
/** Why: dead letters are rare; reading more than this at once is an operator's job for the nats CLI. */
export const deadLetterReadMax = 10_000;

const reasonHeader = "Mmzero-Dead-Reason";
const subjectHeader = "Mmzero-Work-Subject";
const sequenceHeader = "Mmzero-Work-Sequence";
const deliveriesHeader = "Mmzero-Deliveries";

/** A message no worker could take: the original bytes unchanged, and why. */
export interface DeadLetter {
  readonly reason: string;
  readonly workSubject: string;
  readonly workSequence: number;
  readonly deliveries: number;
  readonly data: Uint8Array;
}

function oneLine(text: string): string {
  return text.replaceAll(/\s+/g, " ").slice(0, deadLetterReasonCharsMax);
}

/** Stores the letter in MMZERO_DEAD under mmzero.dead.<kind>; resolves once the server has it. */
export async function publishDeadLetter(
  connection: JetStreamConnection,
  kind: WorkKind<unknown>,
  letter: DeadLetter,
): Promise<void> {
  const letterHeaders = headers();
  letterHeaders.set(reasonHeader, oneLine(letter.reason));
  letterHeaders.set(subjectHeader, letter.workSubject);
  letterHeaders.set(sequenceHeader, String(letter.workSequence));
  letterHeaders.set(deliveriesHeader, String(letter.deliveries));
  await connection.jetstream.publish(deadLetterSubject(kind), letter.data, { headers: letterHeaders });
}

/** The dead letters of a kind, oldest first (at most deadLetterReadMax). */
export async function readDeadLetters(
  connection: JetStreamConnection,
  kind: WorkKind<unknown>,
): Promise<DeadLetter[]> {
  const subject = deadLetterSubject(kind);
  const last = await connection.manager.streams.getMessage(deadLetterStreamName, { last_by_subj: subject });
  if (last === null) return [];
  const letters: DeadLetter[] = [];
  const messages = replaySubject(connection, {
    stream: deadLetterStreamName,
    subject,
    fromStreamSequence: 1,
    toStreamSequence: last.seq,
    batchMessages: 256,
    pullExpiresMs: 2000,
  });
  for await (const message of messages) {
    letters.push({
      reason: message.headers?.get(reasonHeader) ?? "",
      workSubject: message.headers?.get(subjectHeader) ?? "",
      workSequence: Number(message.headers?.get(sequenceHeader) ?? 0),
      deliveries: Number(message.headers?.get(deliveriesHeader) ?? 0),
      data: message.data,
    });
    if (letters.length >= deadLetterReadMax) break;
  }
  return letters;
}
