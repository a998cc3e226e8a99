/**
 * Canonical JSON: the one byte string an event has, so its SHA-256 is its identity.
 *
 * Rules: object keys sorted by UTF-16 code units; numbers must be finite and are written in
 * ECMAScript's shortest round-trip form with -0 written as 0; strings as JSON.stringify writes
 * them (lone surrogates escaped, so distinct strings never share bytes); no whitespace;
 * `undefined`, functions, class instances, Maps, typed arrays and other non-JSON values are rejected
 * rather than dropped, so two different values can never encode to the same bytes.
 */

export class CanonicalEncodingError extends Error {
  override readonly name = "CanonicalEncodingError";
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`cannot encode value at ${path || "<root>"} canonically: ${reason}`);
  }
}

/** Why a limit: deeply nested input is a bug or an attack; events are a few levels deep. */
export const canonicalDepthMax = 64;

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * A failure inside the encoder. Its path is collected on the way out (each level adds its key or
 * index), so no path string is built unless an encoding fails: building one for every value cost
 * as much as the encoding itself.
 */
class EncodingFailure {
  readonly segments: string[] = [];
  constructor(readonly reason: string) {}
}

function atSegment(error: unknown, segment: string): unknown {
  if (error instanceof EncodingFailure) error.segments.push(segment);
  return error;
}

function encodeNumber(value: number): string {
  if (!Number.isFinite(value)) throw new EncodingFailure(`number ${value} is not finite`);
  return Object.is(value, -0) ? "0" : JSON.stringify(value);
}

function encodeValue(value: unknown, depth: number): string {
  if (depth > canonicalDepthMax) throw new EncodingFailure(`nesting deeper than ${canonicalDepthMax}`);
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "string":
      return JSON.stringify(value);
    case "number":
      return encodeNumber(value);
    case "object":
      return Array.isArray(value) ? encodeArray(value, depth) : encodeObject(value, depth);
    default:
      throw new EncodingFailure(`${typeof value} is not a JSON value`);
  }
}

/**
 * Whether JSON.stringify writes this array exactly as the rules do: a plain array (no subclass, no
 * `toJSON` anywhere) of finite numbers, which it writes in the same shortest round-trip form, -0 as
 * 0. Why: tokens and log-probs are most of an event's bytes, and JSON.stringify formats a number
 * array in one call at about half the cost of formatting it item by item.
 */
function isFiniteNumberArray(value: readonly unknown[]): boolean {
  if (Object.getPrototypeOf(value) !== Array.prototype || "toJSON" in value) return false;
  for (let index = 0; index < value.length; index++) {
    // A hole reads as undefined and fails here, so the walk below reports it.
    const item = value[index];
    if (typeof item !== "number" || !Number.isFinite(item)) return false;
  }
  return true;
}

function encodeArray(value: readonly unknown[], depth: number): string {
  if (isFiniteNumberArray(value)) return JSON.stringify(value);
  let encoded = "[";
  for (let index = 0; index < value.length; index++) {
    if (index > 0) encoded += ",";
    try {
      encoded += encodeValue(value[index], depth + 1);
    } catch (error) {
      throw atSegment(error, `[${index}]`);
    }
  }
  return `${encoded}]`;
}

/**
 * An object's keys in canonical order. Why the check first: most objects are built with their keys
 * in order already (or are so small that checking costs less than sorting a copy).
 */
function sortedKeys(value: object): string[] {
  const keys = Object.keys(value);
  for (let index = 1; index < keys.length; index++) {
    if ((keys[index - 1] as string) > (keys[index] as string)) return keys.sort();
  }
  return keys;
}

/**
 * Encoded keys, remembered: events use a few dozen keys over and over. Bounded, so keys that are data
 * (a record's keys) cannot grow it without limit; past the bound new keys are encoded each time.
 */
const encodedKeys = new Map<string, string>();
const encodedKeysMax = 4096;

function encodeKey(key: string): string {
  let encoded = encodedKeys.get(key);
  if (encoded === undefined) {
    encoded = JSON.stringify(key);
    if (encodedKeys.size < encodedKeysMax) encodedKeys.set(key, encoded);
  }
  return encoded;
}

function encodeObject(value: object, depth: number): string {
  if (!isPlainObject(value)) {
    throw new EncodingFailure(`${value.constructor?.name ?? "object"} is not a plain object`);
  }
  const keys = sortedKeys(value);
  let encoded = "{";
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index] as string;
    const child = value[key];
    if (index > 0) encoded += ",";
    try {
      if (child === undefined) throw new EncodingFailure("undefined is not a JSON value");
      encoded += `${encodeKey(key)}:${encodeValue(child, depth + 1)}`;
    } catch (error) {
      throw atSegment(error, `.${key}`);
    }
  }
  return `${encoded}}`;
}

export function canonicalJson(value: unknown): string {
  try {
    return encodeValue(value, 0);
  } catch (error) {
    if (!(error instanceof EncodingFailure)) throw error;
    throw new CanonicalEncodingError(error.segments.reverse().join(""), error.reason);
  }
}

const encoder = new TextEncoder();

export function canonicalBytes(value: unknown): Uint8Array {
  return encoder.encode(canonicalJson(value));
}
