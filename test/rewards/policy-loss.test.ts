// Goal: the scalar GRPO loss equals EasyR1's per-token clipped surrogate with asymmetric and dual clip,
// k3 KL with clamp, and the three aggregation modes, so that a tensor implementation can be golden-
// tested against it. Method: a hand-computed mini-batch for each mode; fast-check laws per token.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  clippedSurrogate,
  grpoLoss,
  InconsistentInputError,
  k3Kl,
  resolveGrpoConfig,
  type SequenceLogProbs,
} from "../../src/rewards/index.ts";

const seed = 3_009;
const release = resolveGrpoConfig("release");
const { clip } = release;

function closeTo(actual: number, expected: number, tolerance = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);
}

/**
 * Hand computation, old log-probs 0 so that ratio = exp(logp):
 * A (+1): ratio 1.5 -> clipped to 1.3, loss -1.3 (clip-higher); ratio 1.1 -> -1.1; ratio 1 -> -1;
 *         a padded token that must not count. KL: y = 0, ln 2, 0 -> 0, 1 - ln 2, 0.
 * B (-0.5): ratio 0.5 -> clipped to 0.8, loss 0.4 (clip-higher); ratio 4 -> 2.0, dual-clipped to 1.5.
 *         KL: y = 0, -ln 2 -> 0, ln 2 - 0.5.
 * Token mean: policy (-1.3 - 1.1 - 1 + 0.4 + 1.5) / 5 = -0.3, KL 0.5 / 5 = 0.1.
 */
const batch: readonly SequenceLogProbs[] = [
  {
    logProbs: [Math.log(1.5), Math.log(1.1), 0, -50],
    oldLogProbs: [0, 0, 0, 0],
    referenceLogProbs: [Math.log(1.5), Math.log(1.1) + Math.LN2, 0, 7],
    mask: [1, 1, 1, 0],
    advantage: 1,
  },
  {
    logProbs: [Math.log(0.5), Math.log(4)],
    oldLogProbs: [0, 0],
    referenceLogProbs: [Math.log(0.5), Math.log(4) - Math.LN2],
    mask: [1, 1],
    advantage: -0.5,
  },
];

describe("grpoLoss: golden mini-batch", () => {
  test("token mean (release): policy -0.3, KL 0.1, loss -0.3 + 0.01 * 0.1, clip fractions 2/5 and 1/5", () => {
    const result = grpoLoss(batch, release);
    closeTo(result.policyLoss, -0.3);
    closeTo(result.klLoss, 0.1);
    closeTo(result.loss, -0.3 + 0.01 * 0.1);
    closeTo(result.clipFractionHigher, 2 / 5);
    closeTo(result.clipFractionLower, 1 / 5);
    closeTo(result.approximateKlToOld, -Math.log(1.5 * 1.1 * 0.5 * 4) / 5);
    assert.equal(result.tokenCount, 5);
  });
  test("sequence mean of token means: policy (-3.4/3 + 1.9/2) / 2, KL ((1 - ln 2)/3 + (ln 2 - 0.5)/2) / 2", () => {
    const config = resolveGrpoConfig({ aggregation: { mode: "sequence-mean-token-mean" } });
    const result = grpoLoss(batch, config);
    closeTo(result.policyLoss, (-3.4 / 3 + 1.9 / 2) / 2);
    closeTo(result.klLoss, ((1 - Math.LN2) / 3 + (Math.LN2 - 0.5) / 2) / 2);
  });
  test("sequence sum over constant 4 (dr-grpo): policy (-3.4 + 1.9) / 2 / 4, KL 0.5 / 2 / 4", () => {
    const config = resolveGrpoConfig({ preset: "dr-grpo", aggregation: { constantNormaliserTokens: 4 } });
    const result = grpoLoss(batch, config);
    closeTo(result.policyLoss, -1.5 / 8);
    closeTo(result.klLoss, 0.5 / 8);
    closeTo(result.loss, -1.5 / 8 + 0.01 * (0.5 / 8));
  });
  test("masked tokens never count, whatever their values", () => {
    const [first, second] = batch;
    assert.ok(first !== undefined && second !== undefined);
    const replaceLast = (values: readonly number[], value: number) => [...values.slice(0, -1), value];
    const changed: SequenceLogProbs = {
      ...first,
      logProbs: replaceLast(first.logProbs, 3),
      oldLogProbs: replaceLast(first.oldLogProbs, -2),
      referenceLogProbs: replaceLast(first.referenceLogProbs, -9),
    };
    assert.deepEqual(grpoLoss([changed, second], release), grpoLoss(batch, release));
  });
  test("ragged arrays, a fractional mask, non-finite values or an empty batch are errors", () => {
    const first = batch[0]!;
    assert.throws(() => grpoLoss([{ ...first, mask: [1, 1] }], release), InconsistentInputError);
    assert.throws(() => grpoLoss([{ ...first, mask: [1, 0.5, 1, 0] }], release), InconsistentInputError);
    assert.throws(() => grpoLoss([{ ...first, advantage: Number.NaN }], release), InconsistentInputError);
    assert.throws(() => grpoLoss([], release), InconsistentInputError);
  });
});

const advantageArbitrary = fc.double({ min: -5, max: 5, noNaN: true }).filter((value) => value !== 0);
const logRatioArbitrary = fc.double({ min: -5, max: 5, noNaN: true });

describe("clippedSurrogate: laws", () => {
  test("law: at ratio 1 it equals the unclipped surrogate -A, with no clipping", () => {
    fc.assert(
      fc.property(advantageArbitrary, fc.double({ min: -30, max: 0, noNaN: true }), (advantage, logProb) => {
        const token = clippedSurrogate(logProb, logProb, advantage, clip);
        assert.equal(token.loss, -advantage);
        assert.equal(token.ratio, 1);
        assert.deepEqual([token.clippedHigher, token.clippedLower], [false, false]);
      }),
      { seed },
    );
  });
  test("law: inside [1 - low, 1 + high] it is the unclipped -A * ratio", () => {
    const inside = fc.double({ min: Math.log(0.8), max: Math.log(1.3), noNaN: true });
    fc.assert(
      fc.property(advantageArbitrary, inside, (advantage, logRatio) => {
        const token = clippedSurrogate(logRatio, 0, advantage, clip);
        closeTo(token.loss, -advantage * Math.exp(logRatio), 1e-12);
      }),
      { seed },
    );
  });
  test("law: constant in the ratio beyond the clip on the side the advantage points", () => {
    fc.assert(
      fc.property(advantageArbitrary, logRatioArbitrary, logRatioArbitrary, (advantage, first, second) => {
        // A > 0 pushes the ratio up: flat above 1 + high. A < 0 pushes it down: flat below 1 - low.
        const bound = advantage > 0 ? Math.log(1.3) : Math.log(0.8);
        const beyond = (logRatio: number) =>
          advantage > 0 ? bound + Math.abs(logRatio) : bound - Math.abs(logRatio);
        const lossFirst = clippedSurrogate(beyond(first), 0, advantage, clip).loss;
        const lossSecond = clippedSurrogate(beyond(second), 0, advantage, clip).loss;
        assert.equal(lossFirst, lossSecond);
        closeTo(lossFirst, -advantage * (advantage > 0 ? 1.3 : 0.8), 1e-12);
      }),
      { seed },
    );
  });
  test("law: with a negative advantage the loss never exceeds -A * dual (flat beyond ratio 3)", () => {
    fc.assert(
      fc.property(
        advantageArbitrary,
        fc.double({ min: -20, max: 20, noNaN: true }),
        (advantage, logRatio) => {
          const token = clippedSurrogate(logRatio, 0, -Math.abs(advantage), clip);
          assert.ok(token.loss <= Math.abs(advantage) * clip.dual + 1e-12);
          if (logRatio > Math.log(3)) assert.equal(token.loss, Math.abs(advantage) * 3);
        },
      ),
      { seed },
    );
  });
});

describe("clippedSurrogate: golden tokens", () => {
  test("a zero advantage gives loss 0 and no clipping event on either side", () => {
    for (const logRatio of [Math.log(0.5), 0, Math.log(1.5), Math.log(5)]) {
      const token = clippedSurrogate(logRatio, 0, 0, clip);
      assert.deepEqual([token.loss === 0, token.clippedHigher, token.clippedLower], [true, false, false]);
    }
  });
  test("dapo's clip-higher: a positive advantage is capped at ratio 1.28", () => {
    closeTo(clippedSurrogate(Math.log(2), 0, 1, resolveGrpoConfig("dapo").clip).loss, -1.28, 1e-12);
  });
});

describe("k3Kl: laws", () => {
  test("golden: y = ln 2 gives 1 - ln 2; y = -ln 2 gives ln 2 - 0.5; huge y is clamped to 10", () => {
    closeTo(k3Kl(0, Math.LN2, 10), 1 - Math.LN2, 1e-15);
    closeTo(k3Kl(0, -Math.LN2, 10), Math.LN2 - 0.5, 1e-15);
    assert.equal(k3Kl(-40, 0, 10), 10);
  });
  test("golden: nearly equal policies keep precision, y = 1e-10 gives y^2 / 2 = 5e-21", () => {
    closeTo(k3Kl(0, 1e-10, 10), 5e-21, 1e-25);
  });
  test("law: k3 >= 0, and = 0 when the policies agree", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -60, max: 0, noNaN: true }),
        fc.double({ min: -60, max: 0, noNaN: true }),
        (a, b) => {
          assert.ok(k3Kl(a, b, 10) >= 0);
          assert.equal(k3Kl(a, a, 10), 0);
        },
      ),
      { seed },
    );
  });
});
