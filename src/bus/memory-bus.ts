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
import { jsonCopy } from "./json-copy.ts";

/**
 * The embedded bus: subjects map to handlers in this process; requests rotate over a subject's
 * handlers (the queue-group behaviour of NATS). Every message is handed over as a copy holding what
 * JSON encoding and decoding would leave of it (json-copy.ts), so the in-process run sees what a
 * distributed one would.
 */
export function createMemoryBus(): Bus {
  const handlers = new Map<string, RequestHandler[]>();
  const cursors = new Map<string, number>();
  let closed = false;
  const shelf = deadLetterShelf();

  function pick(subject: string): RequestHandler {
    const list = handlers.get(subject);
    if (list === undefined || list.length === 0) throw new NoResponderError(subject);
    const cursor = cursors.get(subject) ?? 0;
    cursors.set(subject, cursor + 1);
    return list[cursor % list.length]!;
  }

  async function request(
    subject: string,
    message: JsonValue,
    options?: { timeoutMs?: number },
  ): Promise<JsonValue> {
    if (closed) throw new Error("the bus is closed");
    const handler = pick(subject);
    const timeoutMs = options?.timeoutMs ?? requestTimeoutMsDefault;
    const decodedRequest = jsonCopy(message);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      // Not unref'd: a request awaiting its reply must keep the process alive until the timeout.
      timer = setTimeout(() => reject(new RequestTimeoutError(subject, timeoutMs)), timeoutMs);
    });
    try {
      const reply = await Promise.race([
        handler(decodedRequest).catch((error: unknown) => {
          const name = error instanceof Error ? error.name : "Error";
          const text = error instanceof Error ? error.message : String(error);
          throw new RemoteError(subject, name, text);
        }),
        timeout,
      ]);
      return jsonCopy(reply);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    kind: "memory",
    serve(subject, handler) {
      const list = handlers.get(subject) ?? [];
      list.push(handler);
      handlers.set(subject, list);
      return {
        async stop() {
          const current = handlers.get(subject) ?? [];
          handlers.set(
            subject,
            current.filter((candidate) => candidate !== handler),
          );
        },
      };
    },
    request,
    async deadLetter(letter) {
      shelf.add(letter);
    },
    deadLetters: () => shelf.list(),
    async close() {
      closed = true;
      handlers.clear();
    },
    async [Symbol.asyncDispose]() {
      await this.close();
    },
  };
}
