import { Schema } from "effect";
import type { JetStreamConnection } from "../../store/jetstream/index.ts";
import { NoResponderError, RequestTimeoutError } from "../bus.ts";
import { MalformedReplyError, RemoteRequestError } from "./errors.ts";
import { decodeJson, decodeValue, encodeJson, type JsonSchema } from "./json-codec.ts";

/** A synchronous call's two message schemas. */
export interface RequestContract<Request, Response> {
  readonly request: JsonSchema<Request>;
  readonly response: JsonSchema<Response>;
}

/** Every reply is an envelope, so a refusal travels as a reason instead of a timeout. */
const ReplyEnvelope = Schema.Union([
  Schema.Struct({ ok: Schema.Literal(true), value: Schema.Json }),
  Schema.Struct({ ok: Schema.Literal(false), reason: Schema.String }),
]);

const encoder = new TextEncoder();

function reasonOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function refusal(reason: string): Uint8Array {
  return encoder.encode(JSON.stringify({ ok: false, reason }));
}

async function replyTo<Request, Response>(
  contract: RequestContract<Request, Response>,
  handle: (request: Request) => Promise<Response>,
  data: Uint8Array,
): Promise<Uint8Array> {
  const request = decodeJson(contract.request, data);
  if (!request.ok) return refusal(`malformed request: ${request.reason}`);
  let response: Response;
  try {
    response = await handle(request.value);
  } catch (error) {
    return refusal(reasonOf(error));
  }
  const encoded = encodeJson(contract.response, response);
  if (!encoded.ok) return refusal(`the responder produced an invalid response: ${encoded.reason}`);
  return encoder.encode(`{"ok":true,"value":${new TextDecoder().decode(encoded.value)}}`);
}

export interface Responder extends AsyncDisposable {
  /** Stops taking requests and waits for the ones in hand to be answered. */
  stop(): Promise<void>;
}

export interface ServeRequestsOptions {
  /** Queue group: each request goes to one member. @default "mmzero" */
  readonly queue?: string;
}

/**
 * Answers requests on `subject` (core NATS, a queue group so responders scale out). A malformed request
 * or a failing handler is answered with a reason; the responder itself never stops on one.
 */
export function serveRequests<Request, Response>(
  connection: JetStreamConnection,
  subject: string,
  contract: RequestContract<Request, Response>,
  handle: (request: Request) => Promise<Response>,
  options: ServeRequestsOptions = {},
): Responder {
  const inHand = new Set<Promise<void>>();
  const subscription = connection.nats.subscribe(subject, {
    queue: options.queue ?? "mmzero",
    callback: (error, message) => {
      if (error !== null) return;
      const answered = replyTo(contract, handle, message.data).then((reply) => {
        message.respond(reply);
      });
      inHand.add(answered);
      void answered.finally(() => inHand.delete(answered));
    },
  });
  const stop = async () => {
    await subscription.drain();
    await Promise.all(inHand);
  };
  return { stop, [Symbol.asyncDispose]: stop };
}

/** Sends a request and decodes the reply; typed errors for a timeout, no responder, a refusal or a bad reply. */
export async function requestReply<Request, Response>(
  connection: JetStreamConnection,
  subject: string,
  contract: RequestContract<Request, Response>,
  request: Request,
  options: { readonly timeoutMs: number },
): Promise<Response> {
  const encoded = encodeJson(contract.request, request);
  if (!encoded.ok)
    throw new RemoteRequestError(subject, `the request is invalid before sending: ${encoded.reason}`);
  let data: Uint8Array;
  try {
    data = (await connection.nats.request(subject, encoded.value, { timeout: options.timeoutMs })).data;
  } catch (error) {
    if (error instanceof Error && error.name === "TimeoutError")
      throw new RequestTimeoutError(subject, options.timeoutMs);
    if (error instanceof Error && /no responders/i.test(error.message)) throw new NoResponderError(subject);
    throw error;
  }
  const envelope = decodeJson(ReplyEnvelope, data);
  if (!envelope.ok) throw new MalformedReplyError(subject, envelope.reason);
  if (!envelope.value.ok) throw new RemoteRequestError(subject, envelope.value.reason);
  const response = decodeValue(contract.response, envelope.value.value);
  if (!response.ok) throw new MalformedReplyError(subject, response.reason);
  return response.value;
}
