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

function encodeNumber(value: number, path: string): string {
  if (!Number.isFinite(value)) throw new CanonicalEncodingError(path, `number ${value} is not finite`);
  return Object.is(value, -0) ? "0" : JSON.stringify(value);
}

function encodeValue(value: unknown, path: string, depth: number): string {
  if (depth > canonicalDepthMax)
    throw new CanonicalEncodingError(path, `nesting deeper than ${canonicalDepthMax}`);
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "string":
      return JSON.stringify(value);
    case "number":
      return encodeNumber(value, path);
    case "object":
      return Array.isArray(value) ? encodeArray(value, path, depth) : encodeObject(value, path, depth);
    default:
      throw new CanonicalEncodingError(path, `${typeof value} is not a JSON value`);
  }
}

function encodeArray(value: readonly unknown[], path: string, depth: number): string {
  const parts: string[] = [];
  for (let index = 0; index < value.length; index++) {
    parts.push(encodeValue(value[index], `${path}[${index}]`, depth + 1));
  }
  return `[${parts.join(",")}]`;
}

function encodeObject(value: object, path: string, depth: number): string {
  if (!isPlainObject(value)) {
    throw new CanonicalEncodingError(path, `${value.constructor?.name ?? "object"} is not a plain object`);
  }
  const keys = Object.keys(value).sort();
  const parts: string[] = [];
  for (const key of keys) {
    const child = value[key];
    if (child === undefined)
      throw new CanonicalEncodingError(`${path}.${key}`, "undefined is not a JSON value");
    parts.push(`${JSON.stringify(key)}:${encodeValue(child, `${path}.${key}`, depth + 1)}`);
  }
  return `{${parts.join(",")}}`;
}

export function canonicalJson(value: unknown): string {
  return encodeValue(value, "", 0);
}

const encoder = new TextEncoder();

export function canonicalBytes(value: unknown): Uint8Array {
  return encoder.encode(canonicalJson(value));
}
