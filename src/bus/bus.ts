/**
 * The Bus port: request/reply work distribution between actors. Several servers on one subject
 * share its work (a queue group); a request goes to exactly one of them. Messages are JSON values:
 * the in-process adapter hands over what JSON encoding and decoding would leave of them, so a
 * message that could not cross NATS fails here as well, not only in a distributed run.
 */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

export type RequestHandler = (request: JsonValue) => Promise<JsonValue>;

export interface RequestOptions {
  /** How long to wait for a reply. @default requestTimeoutMsDefault */
  readonly timeoutMs?: number;
}

/** Why this default: a model step on a 2-core machine can take tens of seconds; a dead peer should not stall forever. */
export const requestTimeoutMsDefault = 300_000;

/** A message an actor refused (malformed, unknown): kept with the reason instead of being lost. */
export interface DeadLetter {
  readonly subject: string;
  readonly reason: string;
  readonly message: JsonValue;
}

/** Why a bound: dead letters are for diagnosis; a flood of bad messages must not exhaust memory. */
export const deadLettersKeptMax = 1000;

export interface Bus extends AsyncDisposable {
  readonly kind: "memory" | "nats";
  serve(subject: string, handler: RequestHandler): { stop(): Promise<void> };
  request(subject: string, request: JsonValue, options?: RequestOptions): Promise<JsonValue>;
  /** Sets a refused message aside with its reason (in memory here; on NATS in the MMZERO_DEAD stream). */
  deadLetter(letter: DeadLetter): Promise<void>;
  /** The dead letters this process set aside (the most recent, up to deadLettersKeptMax). */
  deadLetters(): readonly DeadLetter[];
  close(): Promise<void>;
}

/** Keeps the most recent dead letters in memory. */
export function deadLetterShelf(): { add(letter: DeadLetter): void; list(): readonly DeadLetter[] } {
  const letters: DeadLetter[] = [];
  return {
    add(letter) {
      letters.push(letter);
      if (letters.length > deadLettersKeptMax) letters.shift();
    },
    list: () => [...letters],
  };
}

export class NoResponderError extends Error {
  override readonly name = "NoResponderError";
  constructor(readonly subject: string) {
    super(
      `no actor serves "${subject}": start a worker for it (mmzero worker --roles ...) or run in-process`,
    );
  }
}

export class RequestTimeoutError extends Error {
  override readonly name = "RequestTimeoutError";
  constructor(
    readonly subject: string,
    readonly timeoutMs: number,
  ) {
    super(`no reply on "${subject}" within ${timeoutMs} ms; the serving actor is stuck or gone`);
  }
}

/** A failure reported by the serving side, carried back to the requester with its name. */
export class RemoteError extends Error {
  override readonly name = "RemoteError";
  constructor(
    readonly subject: string,
    readonly remoteName: string,
    readonly remoteMessage: string,
  ) {
    super(`"${subject}" failed remotely: ${remoteName}: ${remoteMessage}`);
  }
}
