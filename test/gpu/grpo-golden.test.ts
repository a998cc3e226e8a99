// Goal: the tfjs GRPO loss equals the scalar reference in src/rewards (grpoLoss) on every preset and
// aggregation mode, part by part, its gradient matches the reference's slope away from the clip kinks,
// grpoUpdate feeds it the right log-probs, masks and advantages, and splits samples into in-order
// mini-batches of nearly equal size.
// Method: fast-check (seeded) over small padded mini-batches with log-ratios that reach every clip
// regime; float32 inputs are rounded once and given to both sides; central differences on the scalar
// reference for the gradient; one end-to-end update on the `test` preset compared with the reference
// evaluated on scoreResponses.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import {
  AdamW,
  grpoLossTensors,
  grpoUpdate,
  miniBatchSizes,
  scoreResponses,
  selectBackend,
} from "../../src/gpu/index.ts";
import {
  type GrpoConfig,
  grpoLoss,
  grpoPresetNames,
  type LossAggregation,
  resolveGrpoConfig,
  type SequenceLogProbs,
} from "../../src/rewards/index.ts";
import { imageOf, promptOf, testModel, toyTokenizer } from "./fixtures.ts";

await selectBackend({ name: "wasm" });

const float32 = (low: number, high: number) =>
  fc.double({ min: low, max: high, noNaN: true }).map(Math.fround);

/** A padded mini-batch: every row has `slots` entries, the mask marks its real tokens. */
const miniBatchArbitrary = fc.integer({ min: 1, max: 6 }).chain((slots) =>
  fc.array(
    fc.record({
      logProbs: fc.array(float32(-6, 0), { minLength: slots, maxLength: slots }),
      oldShift: fc.array(float32(-1, 1), { minLength: slots, maxLength: slots }),
      referenceShift: fc.array(float32(-3, 3), { minLength: slots, maxLength: slots }),
      length: fc.integer({ min: 0, max: slots }),
      advantage: fc.oneof(float32(-2.5, 2.5), fc.constant(0)),
    }),
    { minLength: 1, maxLength: 5 },
  ),
);

type Row = {
  logProbs: number[];
  oldShift: number[];
  referenceShift: number[];
  length: number;
  advantage: number;
};

function toSequences(rows: readonly Row[]): SequenceLogProbs[] {
  return rows.map((row) => ({
    logProbs: row.logProbs,
    oldLogProbs: row.logProbs.map((value, index) => Math.fround(value + row.oldShift[index]!)),
    referenceLogProbs: row.logProbs.map((value, index) => Math.fround(value + row.referenceShift[index]!)),
    mask: row.logProbs.map((_, index) => (index < row.length ? 1 : 0)),
    advantage: row.advantage,
  }));
}

function tensorInputs(sequences: readonly SequenceLogProbs[]) {
  const matrix = (pick: (sequence: SequenceLogProbs) => readonly number[]) =>
    tf.tensor2d(sequences.map((s) => [...pick(s)]));
  return {
    logProbs: matrix((sequence) => sequence.logProbs),
    oldLogProbs: matrix((sequence) => sequence.oldLogProbs),
    referenceLogProbs: matrix((sequence) => sequence.referenceLogProbs),
    mask: matrix((sequence) => sequence.mask),
    advantages: tf.tensor1d(sequences.map((sequence) => sequence.advantage)),
  };
}

function close(actual: number, expected: number, what: string): void {
  assert(
    Math.abs(actual - expected) <= 2e-5 * (1 + Math.abs(expected)),
    `${what}: tfjs ${actual}, reference ${expected}`,
  );
}

const aggregationModes: readonly LossAggregation[] = [
  "token-mean",
  "sequence-mean-token-mean",
  "sequence-sum-constant-normaliser",
];
const configs: [string, GrpoConfig][] = [
  ...grpoPresetNames.map((name): [string, GrpoConfig] => [name, resolveGrpoConfig(name)]),
  ...aggregationModes.map((mode): [string, GrpoConfig] => [
    `release with ${mode}`,
    resolveGrpoConfig({ aggregation: { mode, constantNormaliserTokens: 7 } }),
  ]),
];

describe("GRPO loss on tensors", () => {
  for (const [name, config] of configs) {
    test(`equals the scalar reference, part by part (${name})`, () => {
      fc.assert(
        fc.property(miniBatchArbitrary, (rows) => {
          const sequences = toSequences(rows);
          const expected = grpoLoss(sequences, config);
          const parts = tf.tidy(() => {
            const losses = grpoLossTensors(tensorInputs(sequences), config);
            return tf.stack([
              losses.loss,
              losses.policyLoss,
              losses.klLoss,
              losses.clipFractionHigher,
              losses.clipFractionLower,
              losses.approximateKlToOld,
            ]);
          });
          const [loss, policyLoss, klLoss, higher, lower, approximate] = Array.from(parts.dataSync());
          parts.dispose();
          close(loss!, expected.loss, "loss");
          close(policyLoss!, expected.policyLoss, "policyLoss");
          close(klLoss!, expected.klLoss, "klLoss");
          close(higher!, expected.clipFractionHigher, "clipFractionHigher");
          close(lower!, expected.clipFractionLower, "clipFractionLower");
          close(approximate!, expected.approximateKlToOld, "approximateKlToOld");
        }),
        { seed: 31, numRuns: 60 },
      );
    });
  }

  test("its gradient in the log-probs matches the reference's slope away from the clip kinks", () => {
    const config = resolveGrpoConfig("release");
    const kinks = [Math.log(1 - config.clip.low), Math.log(1 + config.clip.high), Math.log(config.clip.dual)];
    fc.assert(
      fc.property(miniBatchArbitrary, (rows) => {
        const sequences = toSequences(rows);
        const nearKink = sequences.some((sequence) =>
          sequence.logProbs.some((value, index) =>
            kinks.some((kink) => Math.abs(value - sequence.oldLogProbs[index]! - kink) < 0.01),
          ),
        );
        fc.pre(!nearKink);
        const inputs = tensorInputs(sequences);
        const gradient = tf.grad(
          (logProbs: tf.Tensor) =>
            grpoLossTensors({ ...inputs, logProbs: tf.reshape(logProbs, inputs.logProbs.shape) }, config)
              .loss,
        )(inputs.logProbs);
        const analytic = gradient.dataSync();
        const slots = inputs.logProbs.shape[1];
        tf.dispose([gradient, ...Object.values(inputs)]);
        const step = 1e-4;
        for (const [row, sequence] of sequences.entries()) {
          for (const token of sequence.logProbs.keys()) {
            const shifted = (delta: number) =>
              grpoLoss(
                sequences.map((other, index) =>
                  index === row
                    ? { ...other, logProbs: other.logProbs.map((v, t) => (t === token ? v + delta : v)) }
                    : other,
                ),
                config,
              ).loss;
            const numeric = (shifted(step) - shifted(-step)) / (2 * step);
            const value = analytic[row * slots + token]!;
            assert(
              Math.abs(value - numeric) < 1e-3 * (1 + Math.abs(numeric)),
              `d/dlogp[${row}][${token}]: ${value} vs ${numeric}`,
            );
          }
        }
      }),
      { seed: 32, numRuns: 40 },
    );
  });
});

describe("grpoUpdate", () => {
  test("splits samples into in-order mini-batches that differ by at most one, none empty", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 64 }),
        (samples, miniBatches) => {
          const sizes = miniBatchSizes(samples, miniBatches);
          assert.equal(sizes.length, Math.min(samples, miniBatches));
          assert.equal(
            sizes.reduce((sum, size) => sum + size, 0),
            samples,
          );
          assert(sizes.every((size) => size >= 1));
          assert(Math.max(...sizes) - Math.min(...sizes) <= 1);
          assert.deepEqual(
            sizes,
            [...sizes].sort((a, b) => b - a),
          );
        },
      ),
      { seed: 51 },
    );
    assert.throws(() => miniBatchSizes(4, 0));
  });

  test("reports the reference loss of its first mini-batch, evaluated before the step", async () => {
    const config = resolveGrpoConfig("release");
    const policy = testModel("golden-policy");
    const reference = testModel("golden-reference");
    const optimizer = new AdamW(policy, { learningRate: 1e-3 });
    const samples = [
      { text: "red?", response: "blue one", advantage: 1.2 },
      { text: "two circle?", response: "red", advantage: -0.7 },
      { text: "green?", response: "square square two", advantage: -1.5 },
    ].map((row, index) => {
      const response = [...toyTokenizer.encode(row.response), toyTokenizer.eosId];
      return {
        prompt: promptOf(row.text),
        image: imageOf(`golden-${index}`),
        response,
        oldLogProbs: response.map((_, token) => -1.5 - 0.4 * token + 0.3 * index),
        advantage: row.advantage,
      };
    });
    const current = await scoreResponses(policy, samples);
    const referenceLogProbs = await scoreResponses(reference, samples);
    const expected = grpoLoss(
      samples.map((sample, index) => ({
        logProbs: current[index]!,
        oldLogProbs: sample.oldLogProbs,
        referenceLogProbs: referenceLogProbs[index]!,
        mask: sample.response.map(() => 1),
        advantage: sample.advantage,
      })),
      config,
    );
    const stats = await grpoUpdate(policy, reference, optimizer, samples, {
      config,
      miniBatches: 1,
      gradientClipNorm: 1,
    });
    close(stats.loss, expected.loss, "loss");
    close(stats.klLoss, expected.klLoss, "klLoss");
    assert.equal(stats.tokenCount, expected.tokenCount);
    assert.equal(optimizer.step, 1);
    for (const model of [policy, reference]) model.dispose();
    optimizer.dispose();
  });
});
