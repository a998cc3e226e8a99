/**
 * Sentence BLEU as NLTK's `sentence_bleu(references=[ref], hypothesis)` computes it with
 * `SmoothingFunction().method1` and uniform weights: whitespace tokens, clipped n-gram matches,
 * precision `matches / max(1, hypothesis n-grams)`, a zero match count replaced by `epsilon`, brevity
 * penalty `exp(1 - r/c)` when c <= r, and 0 whenever no unigram matches (empty hypothesis included).
 *
 * BLEU is asymmetric. The release fills its distance matrix with `1 - BLEU(reference = s_j,
 * hypothesis = s_i)` for i < j and mirrors it; {@link bleuDistanceMatrix} does exactly that. Clipped
 * match counts are symmetric, so the matrix finds them once per pair through an inverted index over
 * interned n-grams; only denominators and the brevity penalty depend on the direction.
 */
import assert from "node:assert/strict";
import { whitespaceTokens } from "./text.ts";

export interface BleuOptions {
  /** Highest n-gram order N; weights are 1/N each. */
  readonly maxOrder: number;
  /** Smoothing method 1: a zero match count becomes this. */
  readonly smoothingEpsilon: number;
}

/** A square, symmetric matrix of pairwise distances, row-major. */
export interface DistanceMatrix {
  readonly size: number;
  readonly values: Float64Array;
}

/**
 * BLEU from per-order clipped match counts, with `weight * log(count)` tabulated once for every count up
 * to the longest sentence: `log p_o = log(m_o or epsilon) - log(max(1, c - o + 1))`, so a score costs
 * table reads and one `exp`.
 */
class BleuScorer {
  /** weight * log(count), with count 0 standing for the smoothing epsilon. */
  private readonly weightedLogCount: Float64Array;

  constructor(
    private readonly options: BleuOptions,
    lengthMax: number,
  ) {
    const weight = 1 / options.maxOrder;
    this.weightedLogCount = Float64Array.from(
      { length: lengthMax + 1 },
      (_, count) => weight * Math.log(count === 0 ? options.smoothingEpsilon : count),
    );
  }

  /** BLEU of a hypothesis of `hypothesisLength` tokens whose match counts sit at `matches[offset + o]`. */
  score(
    matches: ArrayLike<number>,
    offset: number,
    hypothesisLength: number,
    referenceLength: number,
  ): number {
    if (hypothesisLength === 0 || matches[offset] === 0) return 0;
    let logScore = 0;
    for (let order = 0; order < this.options.maxOrder; order += 1) {
      // Per order, so that a perfect match (m = hypothesis n-grams) contributes exactly 0.
      const hypothesisNgrams = Math.max(1, hypothesisLength - order);
      logScore += this.weightedLogCount[matches[offset + order]!]! - this.weightedLogCount[hypothesisNgrams]!;
    }
    // Brevity penalty exp(1 - r/c) when the hypothesis is not longer than the reference.
    if (hypothesisLength <= referenceLength) logScore += 1 - referenceLength / hypothesisLength;
    return Math.exp(logScore);
  }
}

function ngramKey(tokens: readonly string[], start: number, order: number): string {
  // Tokens contain no whitespace, so a space-joined key is unambiguous across orders.
  return tokens.slice(start, start + order).join(" ");
}

function ngramCounts(tokens: readonly string[], order: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let start = 0; start + order <= tokens.length; start += 1) {
    const key = ngramKey(tokens, start, order);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Sentence BLEU of `hypothesis` against the single `reference`, in [0, 1]. */
export function sentenceBleu(reference: string, hypothesis: string, options: BleuOptions): number {
  const referenceTokens = whitespaceTokens(reference);
  const hypothesisTokens = whitespaceTokens(hypothesis);
  const matches: number[] = [];
  for (let order = 1; order <= options.maxOrder; order += 1) {
    const referenceCounts = ngramCounts(referenceTokens, order);
    let matched = 0;
    for (const [key, count] of ngramCounts(hypothesisTokens, order)) {
      matched += Math.min(count, referenceCounts.get(key) ?? 0);
    }
    matches.push(matched);
  }
  const scorer = new BleuScorer(options, hypothesisTokens.length);
  return scorer.score(matches, 0, hypothesisTokens.length, referenceTokens.length);
}

/**
 * Every distinct n-gram of every sentence, interned, with an inverted index in compressed rows:
 * posting `id` lists the sentences holding n-gram `id` (ascending) and how often, at
 * [postingStart[id], postingStart[id + 1]). A sentence's own n-grams of order o are the `ownIds`
 * at [ownStart[s * maxOrder + o], ownStart[s * maxOrder + o + 1]).
 */
interface NgramIndex {
  readonly postingStart: Int32Array;
  readonly postingSentences: Int32Array;
  readonly postingCounts: Int32Array;
  readonly ownStart: Int32Array;
  readonly ownIds: Int32Array;
  readonly ownCounts: Int32Array;
  /** Where each own n-gram's sentence sits in its posting, so later sentences are the entries after it. */
  readonly ownPositions: Int32Array;
}

function buildIndex(tokenised: readonly (readonly string[])[], maxOrder: number): NgramIndex {
  const ids = new Map<string, number>();
  const own: { id: number; count: number }[][] = [];
  const postingLengths: number[] = [];
  for (const tokens of tokenised) {
    for (let order = 1; order <= maxOrder; order += 1) {
      const entries: { id: number; count: number }[] = [];
      for (const [key, count] of ngramCounts(tokens, order)) {
        let id = ids.get(key);
        if (id === undefined) {
          id = postingLengths.length;
          ids.set(key, id);
          postingLengths.push(0);
        }
        postingLengths[id] = postingLengths[id]! + 1;
        entries.push({ id, count });
      }
      own.push(entries);
    }
  }
  const postingStart = new Int32Array(postingLengths.length + 1);
  postingLengths.forEach((length, id) => {
    postingStart[id + 1] = postingStart[id]! + length;
  });
  const total = postingStart[postingLengths.length]!;
  const postingSentences = new Int32Array(total);
  const postingCounts = new Int32Array(total);
  const filled = postingStart.slice(0, -1);
  const ownStart = new Int32Array(own.length + 1);
  own.forEach((entries, row) => {
    ownStart[row + 1] = ownStart[row]! + entries.length;
  });
  const ownIds = new Int32Array(total);
  const ownCounts = new Int32Array(total);
  const ownPositions = new Int32Array(total);
  own.forEach((entries, row) => {
    const sentence = Math.floor(row / maxOrder);
    entries.forEach(({ id, count }, offset) => {
      const position = filled[id]!;
      filled[id] = position + 1;
      postingSentences[position] = sentence;
      postingCounts[position] = count;
      const slot = ownStart[row]! + offset;
      ownIds[slot] = id;
      ownCounts[slot] = count;
      ownPositions[slot] = position;
    });
  });
  return { postingStart, postingSentences, postingCounts, ownStart, ownIds, ownCounts, ownPositions };
}

/** Clipped match counts of `hypothesis` with every later sentence, into `matches[reference * maxOrder + o]`. */
function accumulateMatches(
  index: NgramIndex,
  hypothesis: number,
  maxOrder: number,
  matches: Int32Array,
): void {
  for (let order = 0; order < maxOrder; order += 1) {
    const row = hypothesis * maxOrder + order;
    for (let slot = index.ownStart[row]!; slot < index.ownStart[row + 1]!; slot += 1) {
      const ownCount = index.ownCounts[slot]!;
      const end = index.postingStart[index.ownIds[slot]! + 1]!;
      for (let entry = index.ownPositions[slot]! + 1; entry < end; entry += 1) {
        const cell = index.postingSentences[entry]! * maxOrder + order;
        matches[cell] = matches[cell]! + Math.min(ownCount, index.postingCounts[entry]!);
      }
    }
  }
}

/**
 * The release's BLEU distance matrix: entry (i, j) = entry (j, i) = 1 - BLEU(reference = s_j,
 * hypothesis = s_i) for i < j, diagonal 0. O(n^2) pairs; each pair costs only its shared n-grams.
 */
export function bleuDistanceMatrix(sentences: readonly string[], options: BleuOptions): DistanceMatrix {
  const size = sentences.length;
  const { maxOrder } = options;
  const tokenised = sentences.map(whitespaceTokens);
  const index = buildIndex(tokenised, maxOrder);
  const values = new Float64Array(size * size);
  const matches = new Int32Array(size * maxOrder);
  const scorer = new BleuScorer(options, Math.max(0, ...tokenised.map((tokens) => tokens.length)));
  for (let hypothesis = 0; hypothesis < size; hypothesis += 1) {
    matches.fill(0, (hypothesis + 1) * maxOrder);
    accumulateMatches(index, hypothesis, maxOrder, matches);
    const hypothesisLength = tokenised[hypothesis]!.length;
    for (let reference = hypothesis + 1; reference < size; reference += 1) {
      const score = scorer.score(
        matches,
        reference * maxOrder,
        hypothesisLength,
        tokenised[reference]!.length,
      );
      if (!(score >= 0 && score <= 1))
        assert.fail(`BLEU ${score} outside [0, 1] for sentences ${hypothesis}, ${reference}`);
      values[hypothesis * size + reference] = 1 - score;
      values[reference * size + hypothesis] = 1 - score;
    }
  }
  return { size, values };
}
