import assert from "node:assert/strict";
import { categoricalFromUniform } from "../rng/index.ts";

/**
 * Choosing one token from one row of logits, on the CPU in float64: greedy or a temperature / top-p
 * draw restricted to the tokens a constraint allows, from one uniform of the keyed generator. The
 * reported log-prob is always under the raw temperature-1 distribution (see scoring.ts).
 */

export interface ChoiceSettings {
  /** Argmax over the allowed tokens (ties go to the lowest id); temperature and topP are ignored. */
  readonly greedy: boolean;
  /** Softmax temperature, > 0. */
  readonly temperature: number;
  /** Nucleus size in (0, 1]: the smallest set of most likely allowed tokens holding this mass. */
  readonly topP: number;
}

export interface TokenChoice {
  readonly token: number;
  /** log p(token) under softmax(logits) at temperature 1, unmasked. */
  readonly logProb: number;
}

/** A grammar constraint allowed no token at some step. */
export class ConstraintExhaustedError extends Error {
  override readonly name = "ConstraintExhaustedError";
  constructor(
    readonly row: number,
    readonly step: number,
  ) {
    super(
      `the token constraint allowed no token for row ${row} at step ${step}; ` +
        "a constraint must allow at least one token (eos when the grammar is complete)",
    );
  }
}

/** log sum exp of the row, stable. */
export function logSumExp(logits: ArrayLike<number>): number {
  let maximum = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < logits.length; index++) maximum = Math.max(maximum, logits[index]!);
  let sum = 0;
  for (let index = 0; index < logits.length; index++) sum += Math.exp(logits[index]! - maximum);
  return maximum + Math.log(sum);
}

/**
 * One weights buffer reused by every draw (sampling is synchronous, so no two draws share it at
 * once): a draw over the vocabulary allocates nothing. Grown when a larger vocabulary comes by.
 */
let scratch = new Float64Array(0);

/**
 * Unnormalised sampling weights: exp((logit - max) / temperature) on allowed tokens, 0 elsewhere,
 * written into the scratch buffer (a view of exactly the row's length); null when none is allowed.
 */
function temperedWeights(
  logits: ArrayLike<number>,
  allowed: ArrayLike<boolean | number> | null,
  temperature: number,
): Float64Array | null {
  if (scratch.length < logits.length) scratch = new Float64Array(logits.length);
  const weights = scratch.length === logits.length ? scratch : scratch.subarray(0, logits.length);
  let maximum = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < logits.length; index++) {
    if (allowed === null || allowed[index]) maximum = Math.max(maximum, logits[index]!);
  }
  let anyPositive = false;
  for (let index = 0; index < logits.length; index++) {
    if (allowed === null || allowed[index]) {
      const weight = Math.exp((logits[index]! - maximum) / temperature);
      weights[index] = weight;
      if (weight > 0) anyPositive = true;
    } else weights[index] = 0;
  }
  return anyPositive ? weights : null;
}

/** Zeroes every weight outside the nucleus: most likely first, ties by lower id. */
function keepNucleus(weights: Float64Array, topP: number): void {
  if (topP >= 1) return;
  let total = 0;
  const candidates: number[] = [];
  weights.forEach((weight, index) => {
    if (weight > 0) {
      candidates.push(index);
      total += weight;
    }
  });
  candidates.sort((a, b) => weights[b]! - weights[a]! || a - b);
  let kept = 0;
  let mass = 0;
  while (kept < candidates.length && (kept === 0 || mass < topP * total))
    mass += weights[candidates[kept++]!]!;
  for (const index of candidates.slice(kept)) weights[index] = 0;
}

function argmaxAllowed(logits: ArrayLike<number>, allowed: ArrayLike<boolean | number> | null): number {
  let best = -1;
  for (let index = 0; index < logits.length; index++) {
    if (allowed !== null && !allowed[index]) continue;
    if (best === -1 || logits[index]! > logits[best]!) best = index;
  }
  return best;
}

/** Picks a token from one row; `allowed` null means every token. Throws if the constraint allows none. */
export function chooseToken(
  logits: ArrayLike<number>,
  allowed: ArrayLike<boolean | number> | null,
  settings: ChoiceSettings,
  uniform: number,
  where: { readonly row: number; readonly step: number } = { row: 0, step: 0 },
): TokenChoice {
  // Hot path (one call per sampled token): messages are built only when a check fails.
  if (!(allowed === null || allowed.length === logits.length))
    assert.fail("the constraint mask must cover the vocabulary");
  if (!(settings.greedy || settings.temperature > 0))
    assert.fail(`temperature ${settings.temperature} must be > 0`);
  if (!(settings.topP > 0 && settings.topP <= 1)) assert.fail(`topP ${settings.topP} must be in (0, 1]`);
  let token: number;
  if (settings.greedy) {
    token = argmaxAllowed(logits, allowed);
    if (token === -1) throw new ConstraintExhaustedError(where.row, where.step);
  } else {
    const weights = temperedWeights(logits, allowed, settings.temperature);
    if (weights === null) throw new ConstraintExhaustedError(where.row, where.step);
    keepNucleus(weights, settings.topP);
    token = categoricalFromUniform(uniform, weights);
  }
  return { token, logProb: logits[token]! - logSumExp(logits) };
}
