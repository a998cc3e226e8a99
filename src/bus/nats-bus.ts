import { Schema } from "effect";
import type { JetStreamConnection } from "../store/jetstream/index.ts";
import {
  type Bus,
  deadLetterShelf,
  type JsonValue,
  NoResponderError,
  RemoteError,
  type RequestHandler,
  RequestTimeoutError,
  requestTimeoutMsDefault,
} from "./bus.ts";
import {
  assertWorkSubjectsFree,
  ensureDeadLetterStream,
  publishDeadLetter,
  RemoteRequestError,
  type Responder,
  requestReply,
  serveRequests,
} from "./nats/index.ts";

/** Any JSON value: work messages are decoded by their own schemas at the serving actor. */
const jsonContract = { request: Schema.Json, response: Schema.Json };

/** Why: every work request is a pure function of its content, so asking again is safe; twice covers a worker lost mid-request. */
export const requestAttemptsMax = 3;

function isJsonValue(value: unknown): value is JsonValue {
  return value !== undefined;
}

/**
 * The Bus over core NATS: each subject is served by a queue group, so any number of worker
 * processes share its requests. A request whose responder dies (timeout) or that finds none yet is
 * asked again: work requests are deterministic in their content (keyed sampling, content-addressed
 * blobs), so a repeat gives the same reply and nothing is counted twice. Refused messages go to the
 * MMZERO_DEAD stream on `mmzero.dead.>`; no stream ever binds the work subjects, and a server where
 * one does is refused at open (WorkSubjectsCapturedError).
 */
export async function openNatsBus(
  connection: JetStreamConnection,
  options: { readonly timeoutMs?: number } = {},
): Promise<Bus> {
  await assertWorkSubjectsFree(connection);
  const responders = new Set<Responder>();
  const shelf = deadLetterShelf();
  let deadLetterStream: Promise<unknown> | undefined;
  const bus: Bus = {
    kind: "nats",
    serve(subject: string, handler: RequestHandler) {
      const responder = serveRequests(
        connection,
        subject,
        jsonContract,
        (request) => handler(request as JsonValue),
        {
          queue: "mmzero-workers",
        },
      );
      responders.add(responder);
      return {
        async stop() {
          responders.delete(responder);
          await responder.stop();
        },
      };
    },
    async request(subject, message, requestOptions) {
      const timeoutMs = requestOptions?.timeoutMs ?? options.timeoutMs ?? requestTimeoutMsDefault;
      let lastError: Error = new NoResponderError(subject);
      for (let attempt = 1; attempt <= requestAttemptsMax; attempt++) {
        try {
          const reply = await requestReply(connection, subject, jsonContract, message, { timeoutMs });
          if (!isJsonValue(reply)) throw new RemoteError(subject, "MalformedReply", "empty reply");
          return reply;
        } catch (error) {
          if (error instanceof RemoteRequestError)
            throw new RemoteError(subject, "RemoteError", error.message);
          if (error instanceof RequestTimeoutError) lastError = error;
          else if (error instanceof NoResponderError) {
            lastError = error;
            await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
          } else throw error;
        }
      }
      throw lastError;
    },
    async deadLetter(letter) {
      shelf.add(letter);
      deadLetterStream ??= ensureDeadLetterStream(connection).catch((error: unknown) => {
        // Not cached: the next letter tries again (the server may have been restarting).
        deadLetterStream = undefined;
        throw error;
      });
      await deadLetterStream;
      await publishDeadLetter(connection, letter);
    },
    deadLetters: () => shelf.list(),
    async close() {
      await Promise.all([...responders].map((responder) => responder.stop()));
      responders.clear();
    },
    async [Symbol.asyncDispose]() {
      await this.close();
    },
  };
  return bus;
}
