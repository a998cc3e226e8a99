// Goal: the keyed generator is a pure function of (key, index), matches Threefry's published
// known-answer vectors, is independent of call order and process, and is roughly uniform.
// Method: Random123 KAT vectors, fast-check properties over keys and indices, a child process
// comparison, and coarse distribution checks with fixed seeds (loose bounds, no flakiness).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, test } from "node:test";
import fc from "fast-check";
import { categoricalFromUniform, keyedRandom, threefry2x32 } from "../../src/rng/index.ts";

const keyPart = fc.oneof(fc.string({ maxLength: 12 }), fc.integer({ min: -1_000_000, max: 1_000_000 }));

describe("threefry2x32-20", () => {
  test("matches the Random123 known-answer vectors", () => {
    assert.deepEqual(threefry2x32(0, 0, 0, 0), [0x6b200159, 0x99ba4efe]);
    assert.deepEqual(threefry2x32(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff), [0x1cb996fc, 0xbb002be7]);
    assert.deepEqual(threefry2x32(0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3), [0xc4923a9c, 0x483df7a0]);
  });
});

describe("keyedRandom", () => {
  test("same key gives the same draws, in any call order", () => {
    fc.assert(
      fc.property(
        fc.array(keyPart, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(10_000), { minLength: 1, maxLength: 20 }),
        (parts, indices) => {
          const [seed, ...rest] = parts as [string | number, ...(string | number)[]];
          const forward = keyedRandom(seed, ...rest);
          const backward = keyedRandom(seed, ...rest);
          const drawsForward = indices.map((index) => forward.uniformAt(index));
          const drawsBackward = [...indices]
            .reverse()
            .map((index) => backward.uniformAt(index))
            .reverse();
          assert.deepEqual(drawsForward, drawsBackward);
        },
      ),
    );
  });

  test("cursor draws equal indexed draws", () => {
    const random = keyedRandom("seed", "proposer", 3);
    const viaCursor = Array.from({ length: 50 }, () => random.nextUniform());
    const viaIndex = Array.from({ length: 50 }, (_, index) =>
      keyedRandom("seed", "proposer", 3).uniformAt(index),
    );
    assert.deepEqual(viaCursor, viaIndex);
  });

  test("different keys give different streams; key parts are unambiguous", () => {
    assert.notEqual(keyedRandom("a", "b").uniformAt(0), keyedRandom("a:b").uniformAt(0));
    assert.notEqual(keyedRandom(1).uniformAt(0), keyedRandom("1").uniformAt(0));
    assert.notEqual(keyedRandom("s", 1, 2).uniformAt(0), keyedRandom("s", 12).uniformAt(0));
    assert.equal(keyedRandom("s", "x").fork("y").uniformAt(7), keyedRandom("s", "x", "y").uniformAt(7));
  });

  test("draws are identical in another process", () => {
    const script =
      "const { keyedRandom } = await import('./src/rng/index.ts');" +
      "const r = keyedRandom('run-7', 'solver', 2, 'sample-9');" +
      "process.stdout.write(JSON.stringify([r.uniformAt(0), r.normalAt(5), r.categoricalAt(9, [1, 2, 3, 4])]));";
    const child = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
    });
    const local = keyedRandom("run-7", "solver", 2, "sample-9");
    assert.deepEqual(JSON.parse(child), [
      local.uniformAt(0),
      local.normalAt(5),
      local.categoricalAt(9, [1, 2, 3, 4]),
    ]);
  });

  test("uniform draws lie in [0, 1) and are roughly uniform", () => {
    const random = keyedRandom(12345, "uniformity");
    const buckets = new Array<number>(10).fill(0);
    const count = 50_000;
    for (let index = 0; index < count; index++) {
      const value = random.uniformAt(index);
      assert.ok(value >= 0 && value < 1);
      buckets[Math.floor(value * 10)]! += 1;
    }
    for (const bucket of buckets)
      assert.ok(Math.abs(bucket - count / 10) < (count / 10) * 0.05, `bucket ${bucket}`);
  });

  test("normal draws have mean ~0 and variance ~1", () => {
    const random = keyedRandom(99, "normality");
    const values = Array.from({ length: 40_000 }, (_, index) => random.normalAt(index));
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1);
    assert.ok(Math.abs(mean) < 0.03, `mean ${mean}`);
    assert.ok(Math.abs(variance - 1) < 0.05, `variance ${variance}`);
    assert.ok(values.every(Number.isFinite));
  });

  test("categorical draws follow the weights and never pick a zero weight", () => {
    const random = keyedRandom(7, "categorical");
    const weights = [0, 1, 0, 3, 0];
    const counts = new Array<number>(weights.length).fill(0);
    const count = 40_000;
    for (let index = 0; index < count; index++) counts[random.categoricalAt(index, weights)]! += 1;
    assert.equal(counts[0], 0);
    assert.equal(counts[2], 0);
    assert.equal(counts[4], 0);
    assert.ok(Math.abs(counts[3]! / count - 0.75) < 0.02, `share ${counts[3]! / count}`);
  });

  test("categoricalFromUniform picks the outcome whose cumulative range holds the draw", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 1, maxLength: 8 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (weights, uniform) => {
          fc.pre(weights.some((weight) => weight > 0));
          const picked = categoricalFromUniform(uniform, weights);
          assert.ok(weights[picked]! > 0);
        },
      ),
    );
    assert.throws(() => categoricalFromUniform(0.5, [0, 0]), /sum to 0/);
    assert.throws(() => categoricalFromUniform(0.5, [1, Number.NaN]), /finite/);
    assert.throws(() => categoricalFromUniform(0.5, [1, Number.POSITIVE_INFINITY]), /weight 1 is Infinity/);
    assert.throws(() => categoricalFromUniform(0.5, [-1, 2]), /weight 0 is -1/);
    assert.throws(() => categoricalFromUniform(0.5, []), /categorical over 0 outcomes/);
  });
});
