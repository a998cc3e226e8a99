import { Schema } from "effect";
import { canonicalBytes } from "../../events/index.ts";

/** A schema whose encoded side is JSON: what travels on the bus. */
export type JsonSchema<Type> = Schema.Codec<Type, unknown>;

export type Decoded<Type> =
  | { readonly ok: true; readonly value: Type }
  | { readonly ok: false; readonly reason: string };

const textDecoder = new TextDecoder("utf-8", { fatal: true });

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Validates `value` against the schema and returns its canonical JSON bytes (the same value always
 * gives the same bytes). A value that does not fit is returned as a reason, not thrown.
 */
export function encodeJson<Type>(schema: JsonSchema<Type>, value: Type): Decoded<Uint8Array> {
  try {
    return { ok: true, value: canonicalBytes(Schema.encodeSync(schema)(value)) };
  } catch (error) {
    return { ok: false, reason: reasonOf(error) };
  }
}

/** Parses UTF-8 JSON and decodes it with the schema; any failure is a reason, never a throw. */
export function decodeJson<Type>(schema: JsonSchema<Type>, bytes: Uint8Array): Decoded<Type> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(textDecoder.decode(bytes));
  } catch (error) {
    return { ok: false, reason: `not UTF-8 JSON: ${reasonOf(error)}` };
  }
  return decodeValue(schema, parsed);
}

/** Decodes an already parsed JSON value with the schema; a failure is a reason, never a throw. */
export function decodeValue<Type>(schema: JsonSchema<Type>, value: unknown): Decoded<Type> {
  try {
    return { ok: true, value: Schema.decodeUnknownSync(schema)(value) };
  } catch (error) {
    return { ok: false, reason: `does not fit the schema: ${reasonOf(error)}` };
  }
}
