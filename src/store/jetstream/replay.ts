import assert from "node:assert/strict";
import type { MsgHdrs } from "@nats-io/transport-node";
import type { JetStreamConnection } from "./connection.ts";

/** One stored message of a subject, as the ordered consumer delivers it. */
export interface SubjectMessage {
  readonly streamSequence: number;
  /** The Nats-Msg-Id header it was published with, if any. */
  readonly msgId: string | undefined;
  readonly headers: MsgHdrs | undefined;
  readonly data: Uint8Array;
}

export interface ReplayOptions {
  readonly stream: string;
  readonly subject: string;
  /** First stream sequence to deliver (messages of other subjects are skipped by the server). */
  readonly fromStreamSequence: number;
  /**
   * Last stream sequence to deliver. The replay also ends when nothing is pending after a message, so
   * it cannot wait forever for a message that is not there. Absent: follow new messages until aborted.
   */
  readonly toStreamSequence?: number;
  readonly signal?: AbortSignal;
  /** Messages the consumer pulls per request. */
  readonly batchMessages: number;
  /**
   * Lifetime of one pull request (min 1000). It also paces recovery: after a server restart the
   * client re-checks its consumer after this long, so a live replay resumes within about this.
   */
  readonly pullExpiresMs: number;
}

/**
 * Replays a subject in stream order with an ordered consumer (ephemeral, flow-controlled, recreated
 * from its cursor after a reconnect, so nothing is skipped or delivered twice). The consumer is
 * deleted when the replay ends.
 */
export async function* replaySubject(
  connection: JetStreamConnection,
  options: ReplayOptions,
): AsyncGenerator<SubjectMessage> {
  assert(options.fromStreamSequence >= 1, `replay: stream sequence ${options.fromStreamSequence} < 1`);
  const to = options.toStreamSequence;
  if (to !== undefined && to < options.fromStreamSequence) return;
  if (options.signal?.aborted === true) return;
  const consumer = await connection.jetstream.consumers.get(options.stream, {
    filter_subjects: options.subject,
    opt_start_seq: options.fromStreamSequence,
  });
  const messages = await consumer.consume({
    max_messages: options.batchMessages,
    expires: Math.max(1000, options.pullExpiresMs),
  });
  const stop = () => messages.stop();
  options.signal?.addEventListener("abort", stop, { once: true });
  try {
    for await (const message of messages) {
      yield {
        streamSequence: message.seq,
        // Why a getter: headers are parsed on first access, and most readers never look at them.
        get msgId() {
          const msgId = message.headers?.get("Nats-Msg-Id");
          return msgId === "" ? undefined : msgId;
        },
        get headers() {
          return message.headers;
        },
        data: message.data,
      };
      if (to !== undefined && (message.seq >= to || message.info.pending === 0)) break;
    }
  } finally {
    options.signal?.removeEventListener("abort", stop);
    messages.stop();
    // Why best effort: the server also removes an idle ordered consumer after its inactivity threshold.
    await consumer.delete().catch(() => false);
  }
}
