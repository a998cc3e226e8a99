// Goal: sentence BLEU and the distance matrix equal NLTK's values, and average-linkage clustering at a
// threshold equals scikit-learn's partition, as the release computes them. Method: hand-computed BLEU
// values; a fixture produced by NLTK 3.8 and scikit-learn 1.2.1 (fixtures/generate-release-reference.py);
// fast-check laws, and a naive O(n^3) greedy reference for the clustering.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  averageLinkageClusters,
  bleuDistanceMatrix,
  clusterShares,
  type DistanceMatrix,
  sentenceBleu,
} from "../../src/rewards/index.ts";

const seed = 3_004;
const options = { maxOrder: 4, smoothingEpsilon: 0.1 };
const wordArbitrary = fc.constantFrom("a", "b", "c", "the", "bar", "chart", "3", "?");
const sentenceArbitrary = fc.array(wordArbitrary, { maxLength: 14 }).map((words) => words.join(" "));

interface ReleaseReference {
  readonly sentences: readonly string[];
  readonly upperTriangleDistances: readonly number[];
  readonly clusterShares: Readonly<Record<string, readonly number[]>>;
  readonly partitions: Readonly<Record<string, readonly (readonly number[])[]>>;
}
const reference: ReleaseReference = JSON.parse(
  readFileSync(new URL("./fixtures/release-reference.json", import.meta.url), "utf8"),
);

function closeTo(actual: number, expected: number, tolerance = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);
}

describe("sentenceBleu", () => {
  test("golden: 'the cat sat on a mat' against 'the cat sat on the mat' is (5/6 * 3/5 * 2/4 * 1/3)^(1/4)", () => {
    closeTo(sentenceBleu("the cat sat on the mat", "the cat sat on a mat", options), (1 / 12) ** 0.25);
  });
  test("golden: smoothing and brevity, 'a b x' against 'a b c d e f' is e^-1 (2/3 * 1/2 * 0.1 * 0.1)^(1/4)", () => {
    closeTo(sentenceBleu("a b c d e f", "a b x", options), Math.exp(-1) * (1 / 300) ** 0.25);
  });
  test("golden: an identical 2-token sentence scores 0.1^(1/2) (no 3- and 4-grams to match)", () => {
    closeTo(sentenceBleu("a b", "a b", options), Math.sqrt(0.1));
  });
  test("golden: no shared unigram, or an empty side, scores 0", () => {
    assert.equal(sentenceBleu("a b", "c d", options), 0);
    assert.equal(sentenceBleu("a b", "", options), 0);
    assert.equal(sentenceBleu("", "a b", options), 0);
  });
  test("law: BLEU is in [0, 1]", () => {
    fc.assert(
      fc.property(sentenceArbitrary, sentenceArbitrary, (first, second) => {
        const score = sentenceBleu(first, second, options);
        assert.ok(score >= 0 && score <= 1, `${score}`);
      }),
      { seed },
    );
  });
  test("law: an identical sentence of at least 4 tokens scores exactly 1", () => {
    const longSentence = fc
      .array(wordArbitrary, { minLength: 4, maxLength: 30 })
      .map((words) => words.join(" "));
    fc.assert(
      fc.property(longSentence, (sentence) => sentenceBleu(sentence, sentence, options) === 1),
      { seed },
    );
  });
  test("equals NLTK on every pair of the reference fixture", () => {
    const { sentences } = reference;
    let pair = 0;
    for (let i = 0; i < sentences.length; i += 1) {
      for (let j = i + 1; j < sentences.length; j += 1) {
        closeTo(
          1 - sentenceBleu(sentences[j]!, sentences[i]!, options),
          reference.upperTriangleDistances[pair]!,
        );
        pair += 1;
      }
    }
  });
});

describe("bleuDistanceMatrix", () => {
  test("golden: equals the release's matrix (NLTK) on the reference fixture", () => {
    const matrix = bleuDistanceMatrix(reference.sentences, options);
    const size = reference.sentences.length;
    let pair = 0;
    for (let i = 0; i < size; i += 1) {
      assert.equal(matrix.values[i * size + i], 0);
      for (let j = i + 1; j < size; j += 1) {
        closeTo(matrix.values[i * size + j]!, reference.upperTriangleDistances[pair]!);
        assert.equal(matrix.values[j * size + i], matrix.values[i * size + j]);
        pair += 1;
      }
    }
  });
  test("law: entry (i, j) for i < j is 1 - BLEU(reference = s_j, hypothesis = s_i), mirrored", () => {
    fc.assert(
      fc.property(fc.array(sentenceArbitrary, { minLength: 1, maxLength: 8 }), (sentences) => {
        const matrix = bleuDistanceMatrix(sentences, options);
        const size = sentences.length;
        for (let i = 0; i < size; i += 1) {
          for (let j = i + 1; j < size; j += 1) {
            const expected = 1 - sentenceBleu(sentences[j]!, sentences[i]!, options);
            closeTo(matrix.values[i * size + j]!, expected, 1e-14);
            assert.equal(matrix.values[j * size + i], matrix.values[i * size + j]);
          }
        }
      }),
      { seed },
    );
  });
});

/** Reference clustering: repeatedly merge the globally closest pair by mean pairwise distance. */
function naiveAverageLinkage(matrix: DistanceMatrix, threshold: number): number[][] {
  const clusters = Array.from({ length: matrix.size }, (_, point) => [point]);
  const linkage = (first: number[], second: number[]) => {
    let sum = 0;
    for (const a of first) for (const b of second) sum += matrix.values[a * matrix.size + b]!;
    return sum / (first.length * second.length);
  };
  for (;;) {
    let best: [number, number, number] | undefined;
    for (let i = 0; i < clusters.length; i += 1) {
      for (let j = i + 1; j < clusters.length; j += 1) {
        const distance = linkage(clusters[i]!, clusters[j]!);
        if (best === undefined || distance < best[2]) best = [i, j, distance];
      }
    }
    if (best === undefined || best[2] >= threshold) break;
    const [i, j] = best;
    clusters[i] = [...clusters[i]!, ...clusters[j]!].sort((a, b) => a - b);
    clusters.splice(j, 1);
  }
  return clusters.sort((a, b) => a[0]! - b[0]!);
}

function partition(labels: Int32Array): number[][] {
  const groups = new Map<number, number[]>();
  labels.forEach((label, point) => {
    groups.set(label, [...(groups.get(label) ?? []), point]);
  });
  return [...groups.values()].sort((a, b) => a[0]! - b[0]!);
}

/** Symmetric matrices with distinct off-diagonal distances in [0, 1) (no ties to break). */
const distinctMatrixArbitrary = fc.integer({ min: 1, max: 12 }).chain((size) =>
  fc
    .uniqueArray(fc.integer({ min: 0, max: 1_000_000 }), {
      minLength: (size * (size - 1)) / 2,
      maxLength: (size * (size - 1)) / 2,
    })
    .map((draws): DistanceMatrix => {
      const values = new Float64Array(size * size);
      let next = 0;
      for (let i = 0; i < size; i += 1) {
        for (let j = i + 1; j < size; j += 1) {
          const distance = draws[next]! / 1_000_001;
          next += 1;
          values[i * size + j] = distance;
          values[j * size + i] = distance;
        }
      }
      return { size, values };
    }),
);

describe("averageLinkageClusters", () => {
  test("golden: equals scikit-learn's partition on the reference fixture at four thresholds", () => {
    const matrix = bleuDistanceMatrix(reference.sentences, options);
    for (const [threshold, expected] of Object.entries(reference.partitions)) {
      const labels = averageLinkageClusters(matrix, Number(threshold));
      assert.deepEqual(partition(labels), expected, `threshold ${threshold}`);
      assert.deepEqual(clusterShares(labels), reference.clusterShares[threshold], `shares at ${threshold}`);
    }
  });
  test("golden: three points, A-B 0.1, B-C 0.2, A-C 0.6: {A,B} then (0.6+0.2)/2 = 0.4", () => {
    const matrix: DistanceMatrix = {
      size: 3,
      values: Float64Array.from([0, 0.1, 0.6, 0.1, 0, 0.2, 0.6, 0.2, 0]),
    };
    assert.deepEqual(partition(averageLinkageClusters(matrix, 0.25)), [[0, 1], [2]]);
    assert.deepEqual(partition(averageLinkageClusters(matrix, 0.4)), [[0, 1], [2]]);
    assert.deepEqual(partition(averageLinkageClusters(matrix, 0.41)), [[0, 1, 2]]);
  });
  test("golden: tied distances resolve as scikit-learn (SciPy's nn_chain) resolves them", () => {
    // A-B = B-C = 0.2 < A-C = 0.3: SciPy merges A-B first, then (0.3 + 0.2) / 2 = 0.25 is not below 0.25.
    const chainAB: DistanceMatrix = {
      size: 3,
      values: Float64Array.from([0, 0.2, 0.3, 0.2, 0, 0.2, 0.3, 0.2, 0]),
    };
    assert.deepEqual(partition(averageLinkageClusters(chainAB, 0.25)), [[0, 1], [2]]);
    // A-C = B-C = 0.2 < A-B = 0.3: SciPy merges A-C.
    const chainAC: DistanceMatrix = {
      size: 3,
      values: Float64Array.from([0, 0.3, 0.2, 0.3, 0, 0.2, 0.2, 0.2, 0]),
    };
    assert.deepEqual(partition(averageLinkageClusters(chainAC, 0.25)), [[0, 2], [1]]);
  });
  test("law: equals the naive greedy algorithm when distances are distinct", () => {
    fc.assert(
      fc.property(
        distinctMatrixArbitrary,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (matrix, threshold) => {
          assert.deepEqual(
            partition(averageLinkageClusters(matrix, threshold)),
            naiveAverageLinkage(matrix, threshold),
          );
        },
      ),
      { seed },
    );
  });
  test("law: threshold 0 gives singletons; a threshold above every distance gives one cluster", () => {
    fc.assert(
      fc.property(distinctMatrixArbitrary, (matrix) => {
        assert.equal(new Set(averageLinkageClusters(matrix, 0)).size, matrix.size);
        assert.equal(new Set(averageLinkageClusters(matrix, 1)).size, 1);
      }),
      { seed },
    );
  });
  test("law: shares are own-cluster sizes over n: sum of 1/(n * share) is the number of clusters", () => {
    fc.assert(
      fc.property(
        distinctMatrixArbitrary,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (matrix, threshold) => {
          const labels = averageLinkageClusters(matrix, threshold);
          const shares = clusterShares(labels);
          const total = shares.reduce((sum, share) => sum + 1 / (share * matrix.size), 0);
          assert.ok(Math.abs(total - new Set(labels).size) < 1e-9, `${total}`);
          for (const share of shares) assert.ok(share > 0 && share <= 1);
        },
      ),
      { seed },
    );
  });
});
