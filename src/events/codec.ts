import assert from "node:assert/strict";
import { Schema } from "effect";
import { canonicalBytes, canonicalJson } from "./canonical.ts";
import { MmzeroEvent, StoredEvent } from "./catalog.ts";
import type { Producer } from "./envelope.ts";
import { sha256Hex } from "./hash.ts";
import { newerVersionError, upcast } from "./upcast.ts";

/** Why: far below NATS's default 1 MiB max_payload; big bytes (images, weights) go to the blob store. */
export const eventBytesMax = 256 * 1024;

export class EventDecodeError extends Error {
  override readonly name = "EventDecodeError";
  constructor(
    readonly reason: string,
    readonly preview: string,
  ) {
    super(`not a valid mmzero event: ${reason} (input starts ${JSON.stringify(preview)})`);
  }
}

export class EventTooLargeError extends Error {
  override readonly name = "EventTooLargeError";
  constructor(
    readonly eventId: string,
    readonly bytes: number,
  ) {
    super(`event ${eventId} encodes to ${bytes} B > ${eventBytesMax} B; move large data to the blob store`);
  }
}

/** Distributive Omit, so each member of the event union keeps its own payload type. */
type OmitSeq<E> = E extends unknown ? Omit<E, "seq"> : never;
/** An event before the log gives it a sequence number. */
export type EventDraft = OmitSeq<MmzeroEvent>;

/** Deterministic event id: the hash of run, producer and the logical key of what the event is about. */
export function eventId(runId: string, producer: Producer, logicalKey: string): string {
  return sha256Hex(canonicalJson([runId, producer.role, producer.version, logicalKey])).slice(0, 32);
}

function withoutUnhashed(event: StoredEvent): Omit<StoredEvent, "at"> {
  const { at: _wallClock, ...hashed } = event;
  return hashed;
}

/** SHA-256 of the canonical encoding of everything but `at`. */
export function contentHash(event: StoredEvent): string {
  return sha256Hex(canonicalBytes(withoutUnhashed(event)));
}

const validateCurrent = Schema.decodeUnknownSync(MmzeroEvent);
const decodeStored = Schema.decodeUnknownSync(StoredEvent);

/** Validates an event against its schema and returns its canonical bytes (for the log) and content hash. */
export function encodeEvent(event: MmzeroEvent): { bytes: Uint8Array; contentHash: string } {
  validateCurrent(event);
  const json = canonicalJson(event);
  const bytes = textEncoder.encode(json);
  if (bytes.length > eventBytesMax) throw new EventTooLargeError(event.id, bytes.length);
  // The bytes just made are canonical: hash them rather than encoding the event a second time.
  return { bytes, contentHash: encodedContentHash(bytes, json, event.at) ?? contentHash(event) };
}

const textDecoder = new TextDecoder("utf-8", { fatal: true });
const openingBrace = 0x7b;
const comma = 0x2c;
const textEncoder = new TextEncoder();

/** The start of an event's canonical bytes when `at` is its first key: `{"at":"...",`. */
function atMemberOf(at: string): string {
  return `{"at":${JSON.stringify(at)},`;
}

/**
 * As storedContentHash, for bytes encodeEvent has just made from `json` and not yet handed out: it
 * hashes them in place (the `,` ending the `at` member briefly becomes the `{` that starts the hashed
 * form) instead of copying them, and compares the `at` member as a string instead of encoding it.
 */
function encodedContentHash(bytes: Uint8Array, json: string, at: string): string | undefined {
  const atMember = atMemberOf(at);
  if (json.length <= atMember.length || !json.startsWith(atMember)) return undefined;
  const braceAt = Buffer.byteLength(atMember) - 1;
  bytes[braceAt] = openingBrace;
  try {
    return sha256Hex(bytes.subarray(braceAt));
  } finally {
    bytes[braceAt] = comma;
  }
}

/**
 * The content hash from the bytes as stored, without re-encoding: the log writes canonical bytes,
 * and in canonical order `at` is the first key (no other top-level key sorts before it), so the
 * hashed form is the stored bytes with their leading `"at":"...",` member cut out. Undefined when the
 * bytes do not start that way (not written by mmzero): then the caller hashes a re-encoding. Bytes
 * that start that way but are otherwise not canonical hash as stored, so an edit of a record's
 * layout shows in the chain like any other edit.
 */
function storedContentHash(bytes: Uint8Array, at: string): string | undefined {
  const atMember = textEncoder.encode(atMemberOf(at));
  if (bytes.length <= atMember.length) return undefined;
  for (let index = 0; index < atMember.length; index++) {
    if (bytes[index] !== atMember[index]) return undefined;
  }
  // "{" then the rest, in one buffer: one-shot hashing of a copy beats an incremental hash.
  const hashed = Buffer.allocUnsafe(bytes.length - atMember.length + 1);
  hashed[0] = openingBrace;
  hashed.set(bytes.subarray(atMember.length), 1);
  return sha256Hex(hashed);
}

/**
 * Decodes stored bytes into the current event shape (upcasting old versions) and its content hash,
 * computed over the stored bytes (the stored version's canonical form) so the chain check covers
 * what is on disk.
 */
export function decodeEvent(bytes: Uint8Array): { event: MmzeroEvent; contentHash: string } {
  return decodeEventValue(parseEventBytes(bytes), bytes);
}

/**
 * As decodeEvent, for bytes that were validated once already (encoded by encodeEvent, or decoded by
 * decodeEvent) and whose content hash the caller kept: a log reading back what it indexed. When the
 * bytes, hashed as stored, still have that hash they are the validated bytes (only `at`, a string, is
 * outside the hash), so the schema is not run again: parsing, hashing and upcasting is all a read of
 * a verified log costs (the schema was 20% of it). Anything else (another hash, bytes not in stored
 * form) takes decodeEvent's full path, so damage is reported the same way.
 */
export function decodeValidatedEvent(
  bytes: Uint8Array,
  validatedHash: string,
): { event: MmzeroEvent; contentHash: string } {
  const parsed = parseEventBytes(bytes);
  if (isObject(parsed) && typeof parsed.at === "string") {
    const hash = storedContentHash(bytes, parsed.at);
    // Why the cast holds: these bytes decoded as a StoredEvent when their hash was recorded.
    if (hash === validatedHash) return { event: upcast(parsed as StoredEvent), contentHash: hash };
  }
  return decodeEventValue(parsed, bytes);
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseEventBytes(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(textDecoder.decode(bytes));
  } catch (error) {
    throw new EventDecodeError(error instanceof Error ? error.message : String(error), previewOf(bytes));
  }
}

/** As decodeEvent, for an already parsed value. */
export function decodeEventValue(
  value: unknown,
  bytes?: Uint8Array,
): { event: MmzeroEvent; contentHash: string } {
  let stored: StoredEvent;
  try {
    stored = decodeStored(value);
  } catch (error) {
    // Why first: a newer writer's event is not damage, and the schema's reason would bury that.
    const newer = newerVersionError(value);
    if (newer !== null) throw newer;
    const reason = error instanceof Error ? error.message : String(error);
    throw new EventDecodeError(
      reason,
      bytes ? previewOf(bytes) : (JSON.stringify(value)?.slice(0, 80) ?? ""),
    );
  }
  const hash = (bytes && storedContentHash(bytes, stored.at)) ?? contentHash(stored);
  const event = upcast(stored);
  assert.equal(event.runId, stored.runId);
  assert.equal(event.seq, stored.seq);
  return { event, contentHash: hash };
}

function previewOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.subarray(0, 80)).toString("utf8");
}
