import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { threefry2x32 } from "./threefry.ts";

/** One part of a logical key: what is being sampled, named by strings and whole numbers. */
export type KeyPart = string | number;

/** Why a cap: a categorical draw scans its weights linearly; larger vocabularies should not get here. */
export const categoricalSizeMax = 1 << 20;
const twoToMinus32 = 2 ** -32;
const twoToMinus53 = 2 ** -53;

/** Encodes key parts unambiguously ("a","b" and "a:b" differ; 1 and "1" differ). */
function encodeKey(parts: readonly KeyPart[]): string {
  return JSON.stringify(
    parts.map((part) => {
      if (typeof part === "number") {
        assert(Number.isSafeInteger(part), `key part ${part} must be a safe integer`);
        return { n: part };
      }
      return part;
    }),
  );
}

/**
 * A keyed random stream: the counter-based generator under the key derived from
 * (run seed, ...logical key parts). Draw `i` depends only on the key and `i`; `next*` methods walk a
 * cursor through the stream for convenience, while `*At` methods read a draw by index.
 */
export class KeyedRandom {
  readonly keyLow: number;
  readonly keyHigh: number;
  readonly parts: readonly KeyPart[];
  private cursor = 0;

  constructor(parts: readonly KeyPart[]) {
    assert(parts.length > 0, "a random key needs at least the run seed");
    const digest = createHash("sha256").update(encodeKey(parts)).digest();
    this.keyLow = digest.readUInt32LE(0);
    this.keyHigh = digest.readUInt32LE(4);
    this.parts = parts;
  }

  /** A stream for a sub-key: same seed and parts, plus more parts. Independent of this stream's draws. */
  fork(...more: KeyPart[]): KeyedRandom {
    return new KeyedRandom([...this.parts, ...more]);
  }

  /** Two raw 32-bit words for counter `index`. */
  wordsAt(index: number): [number, number] {
    // Hot path (one call per sampled token): the message is built only when the check fails.
    if (!(Number.isSafeInteger(index) && index >= 0))
      assert.fail(`draw index ${index} must be a whole number >= 0`);
    return threefry2x32(this.keyLow, this.keyHigh, index >>> 0, Math.floor(index / 2 ** 32) >>> 0);
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  uniformAt(index: number): number {
    const [low, high] = this.wordsAt(index);
    return ((high >>> 5) * 2 ** 26 + (low >>> 6)) * twoToMinus53;
  }

  /** A standard normal draw (Box-Muller on the two words of one counter: one counter, one normal). */
  normalAt(index: number): number {
    const [low, high] = this.wordsAt(index);
    const u1 = (low + 1) * twoToMinus32; // in (0, 1]: log never sees 0
    const u2 = high * twoToMinus32;
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Index drawn with probability proportional to the non-negative weights (inverse CDF). */
  categoricalAt(index: number, weights: ArrayLike<number>): number {
    return categoricalFromUniform(this.uniformAt(index), weights);
  }

  nextUniform(): number {
    return this.uniformAt(this.cursor++);
  }

  nextNormal(): number {
    return this.normalAt(this.cursor++);
  }

  nextCategorical(weights: ArrayLike<number>): number {
    return this.categoricalAt(this.cursor++, weights);
  }

  /** A whole number in [0, bound). */
  nextInt(bound: number): number {
    assert(Number.isSafeInteger(bound) && bound > 0, `bound ${bound} must be a positive whole number`);
    return Math.floor(this.nextUniform() * bound);
  }

  /** Draws so far through `next*`; the next cursor draw reads this index. */
  get position(): number {
    return this.cursor;
  }
}

/**
 * Inverse-CDF categorical draw; exported so samplers can reuse one uniform with their own weights.
 * Hot path (one call per sampled token over the whole vocabulary): checks build their messages only
 * when they fail, and nothing is allocated.
 */
export function categoricalFromUniform(uniform: number, weights: ArrayLike<number>): number {
  const size = weights.length;
  if (!(size > 0 && size <= categoricalSizeMax)) assert.fail(`categorical over ${size} outcomes`);
  let total = 0;
  for (let i = 0; i < size; i++) {
    const weight = weights[i]!;
    if (!(weight >= 0 && weight < Number.POSITIVE_INFINITY))
      assert.fail(`weight ${i} is ${weight}; weights must be finite and >= 0`);
    total += weight;
  }
  if (!(total > 0)) assert.fail("categorical weights sum to 0");
  const target = uniform * total;
  let cumulative = 0;
  let last = 0;
  for (let i = 0; i < size; i++) {
    const weight = weights[i]!;
    if (weight === 0) continue;
    cumulative += weight;
    last = i;
    if (target < cumulative) return i;
  }
  return last; // rounding left target at the total: the last outcome with weight
}

/** The generator keyed by (run seed, ...logical key parts). */
export function keyedRandom(seed: KeyPart, ...parts: KeyPart[]): KeyedRandom {
  return new KeyedRandom([seed, ...parts]);
}
