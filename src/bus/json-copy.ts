import type { JsonValue } from "./bus.ts";

/** Why a bound: a message nested this deep is no work message; JSON itself then reports a cycle. */
const walkedDepthMax = 256;

/**
 * What `JSON.parse(JSON.stringify(value))` gives, without the text in between: the in-process bus
 * hands every message over as a fresh copy with exactly what crossing NATS as JSON would leave of
 * it (a non-finite number becomes null, -0 becomes 0, an undefined property is dropped, an
 * undefined array item becomes null). Why not the round trip itself: formatting and parsing every
 * number of a generation reply (tokens, log-probs) cost ten times this walk. Plain objects and
 * arrays are walked; anything else (a Date, a class instance, anything with `toJSON`) takes the
 * round trip, so its JSON form is JSON's own. A value JSON cannot carry at all is a TypeError.
 */
export function jsonCopy(value: unknown): JsonValue {
  const copied = copyValue(value, 0);
  if (copied === undefined) throw new TypeError(`a ${typeof value} is not a JSON value`);
  return copied;
}

/** The copy of one value, or undefined where JSON leaves it out (undefined, a function, a symbol). */
function copyValue(value: unknown, depth: number): JsonValue | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value + 0 : null; // + 0 turns -0 into 0, as JSON does
    case "object":
      if (value === null) return null;
      if (depth > walkedDepthMax || typeof (value as { toJSON?: unknown }).toJSON === "function")
        return roundTrip(value);
      if (Array.isArray(value)) {
        const numbers = finiteNumbersCopy(value);
        if (numbers !== undefined) return numbers;
        const items: JsonValue[] = new Array(value.length);
        for (let index = 0; index < value.length; index++)
          items[index] = copyValue(value[index], depth + 1) ?? null;
        return items;
      }
      return isPlainObject(value) ? copyObject(value, depth) : roundTrip(value);
    case "bigint":
      return roundTrip(value); // JSON's own TypeError
    default:
      return undefined;
  }
}

/**
 * A plain array of finite numbers, none of them -0 (a generation's tokens and log-probs: most of what
 * the bus carries), copied whole: JSON would leave each item as it is, and `slice` copies the backing
 * store in one step instead of walking and boxing every item. Anything else: undefined (walked).
 */
function finiteNumbersCopy(value: unknown[]): number[] | undefined {
  // Why only Array.prototype: `slice` of a subclass makes a subclass (JSON makes a plain array).
  if (Object.getPrototypeOf(value) !== Array.prototype) return undefined;
  for (let index = 0; index < value.length; index++) {
    const item = value[index];
    // A hole reads as undefined and fails here, so a copied array has none.
    if (typeof item !== "number" || !Number.isFinite(item) || (item === 0 && 1 / item < 0)) return undefined;
  }
  return value.slice() as number[];
}

function copyObject(value: Record<string, unknown>, depth: number): JsonValue {
  const copy: Record<string, JsonValue> = {};
  for (const key of Object.keys(value)) {
    const item = copyValue(value[key], depth + 1);
    if (item === undefined) continue;
    // Why defineProperty for "__proto__": assigning it would set the prototype, JSON.parse makes a key.
    if (key === "__proto__")
      Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    else copy[key] = item;
  }
  return copy;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function roundTrip(value: unknown): JsonValue | undefined {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : (JSON.parse(text) as JsonValue);
}
