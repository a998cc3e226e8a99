// Goal: the CPU token choice honours the constraint, greedy and top-p, reports the temperature-1
// unconstrained log-prob, draws by inverse CDF from the one uniform it is given, and fails loudly when
// a constraint allows nothing.
// Method: fast-check properties over random logits, masks, temperatures and uniforms (seeded).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { ConstraintExhaustedError, chooseToken, logSumExp } from "../../src/gpu/token-choice.ts";

// On a 0.01 grid: logits closer than that (5e-324 apart, say) tie once tempered and exponentiated.
const logitsArbitrary = fc.array(
  fc.integer({ min: -800, max: 800 }).map((value) => value / 100),
  { minLength: 2, maxLength: 12 },
);
const rowArbitrary = logitsArbitrary.chain((logits) =>
  fc.record({
    logits: fc.constant(logits),
    allowed: fc
      .array(fc.boolean(), { minLength: logits.length, maxLength: logits.length })
      .filter((mask) => mask.includes(true)),
    temperature: fc.double({ min: 0.1, max: 2, noNaN: true }),
    topP: fc.double({ min: 0.05, max: 1, noNaN: true }),
    uniform: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  }),
);

function argmax(values: readonly number[], allowed: readonly boolean[]): number {
  let best = -1;
  values.forEach((value, index) => {
    if (allowed[index] && (best === -1 || value > values[best]!)) best = index;
  });
  return best;
}

describe("chooseToken", () => {
  test("picks an allowed token and reports its temperature-1 log-prob", () => {
    fc.assert(
      fc.property(rowArbitrary, ({ logits, allowed, temperature, topP, uniform }) => {
        const choice = chooseToken(logits, allowed, { greedy: false, temperature, topP }, uniform);
        assert(allowed[choice.token], `token ${choice.token} is not allowed`);
        assert(Math.abs(choice.logProb - (logits[choice.token]! - logSumExp(logits))) < 1e-12);
      }),
      { seed: 21 },
    );
  });

  test("a choice does not depend on the rows chosen before it (the weights buffer is reused)", () => {
    fc.assert(
      fc.property(rowArbitrary, rowArbitrary, (first, between) => {
        const choose = (row: typeof first) =>
          chooseToken(
            row.logits,
            row.allowed,
            { greedy: false, temperature: row.temperature, topP: row.topP },
            row.uniform,
          );
        const before = choose(first);
        choose(between);
        assert.deepEqual(choose(first), before);
      }),
      { seed: 23 },
    );
  });

  test("greedy, and a tiny nucleus, give the allowed argmax", () => {
    fc.assert(
      fc.property(rowArbitrary, ({ logits, allowed, temperature, uniform }) => {
        const best = argmax(logits, allowed);
        assert.equal(
          chooseToken(logits, allowed, { greedy: true, temperature: 1, topP: 1 }, uniform).token,
          best,
        );
        assert.equal(
          chooseToken(logits, allowed, { greedy: false, temperature, topP: 1e-9 }, uniform).token,
          best,
        );
      }),
      { seed: 22 },
    );
  });

  test("draws by inverse CDF: the uniform's quantile of the tempered distribution", () => {
    const logits = [Math.log(1), Math.log(2), Math.log(1)]; // probabilities 1/4, 1/2, 1/4
    const settings = { greedy: false, temperature: 1, topP: 1 };
    assert.deepEqual(
      [0, 0.24, 0.26, 0.74, 0.76, 0.999].map((uniform) => chooseToken(logits, null, settings, uniform).token),
      [0, 0, 1, 1, 2, 2],
    );
    // Temperature 0.5 squares the odds: 1/6, 4/6, 1/6.
    const cold = { ...settings, temperature: 0.5 };
    assert.deepEqual(
      [0.16, 0.17, 0.83, 0.84].map((uniform) => chooseToken(logits, null, cold, uniform).token),
      [0, 1, 1, 2],
    );
    // topP 0.5 keeps only the middle token.
    assert.equal(chooseToken(logits, null, { ...settings, topP: 0.5 }, 0.99).token, 1);
  });

  test("a constraint that allows nothing is an error naming row and step", () => {
    assert.throws(
      () =>
        chooseToken([0, 1], [false, false], { greedy: false, temperature: 1, topP: 1 }, 0.5, {
          row: 3,
          step: 7,
        }),
      (error: unknown) => error instanceof ConstraintExhaustedError && error.row === 3 && error.step === 7,
    );
    assert.throws(
      () => chooseToken([0, 1], [0, 0], { greedy: true, temperature: 1, topP: 1 }, 0.5),
      ConstraintExhaustedError,
    );
  });
});
