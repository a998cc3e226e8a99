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

/** BLEU from per-order clipped match counts (index 0 = unigrams). */
function bleuFromMatches(
  matches: readonly number[],
  hypothesisLength: number,
  referenceLength: number,
  options: BleuOptions,
): number {
  if (hypothesisLength === 0 || matches[0] === 0) return 0;
  const weight = 1 / options.maxOrder;
  let logPrecisionSum = 0;
  for (let order = 1; order <= options.maxOrder; order += 1) {
    const hypothesisNgrams = Math.max(1, hypothesisLength - order + 1);
    const matched = matches[order - 1] ?? 0;
    const precision = (matched === 0 ? options.smoothingEpsilon : matched) / hypothesisNgrams;
    logPrecisionSum += weight * Math.log(precision);
  }
  const brevityPenalty =
    hypothesisLength > referenceLength ? 1 : Math.exp(1 - referenceLength / hypothesisLength);
  return brevityPenalty * Math.exp(logPrecisionSum);
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
  return bleuFromMatches(matches, hypothesisTokens.length, referenceTokens.length, options);
}

/** One occurrence list per interned n-gram: which sentences hold it and how often, by sentence index. */
interface Posting {
  readonly sentences: number[];
  readonly counts: number[];
}

/** A sentence's distinct n-grams of one order: posting index, own count, own position in that posting. */
interface SentenceNgrams {
  readonly postings: number[];
  readonly counts: number[];
  readonly positions: number[];
}

function buildIndex(tokenised: readonly (readonly string[])[], maxOrder: number) {
  const ids = new Map<string, number>();
  const postings: Posting[] = [];
  const bySentence: SentenceNgrams[][] = tokenised.map((tokens, sentence) => {
    const perOrder: SentenceNgrams[] = [];
    for (let order = 1; order <= maxOrder; order += 1) {
      const own: SentenceNgrams = { postings: [], counts: [], positions: [] };
      for (const [key, count] of ngramCounts(tokens, order)) {
        let id = ids.get(key);
        if (id === undefined) {
          id = postings.length;
          ids.set(key, id);
          postings.push({ sentences: [], counts: [] });
        }
        const posting = postings[id]!;
        own.postings.push(id);
        own.counts.push(count);
        own.positions.push(posting.sentences.length);
        posting.sentences.push(sentence);
        posting.counts.push(count);
      }
      perOrder.push(own);
    }
    return perOrder;
  });
  return { postings, bySentence };
}

/**
 * The release's BLEU distance matrix: entry (i, j) = entry (j, i) = 1 - BLEU(reference = s_j,
 * hypothesis = s_i) for i < j, diagonal 0. O(n^2) pairs; each pair costs only its shared n-grams.
 */
export function bleuDistanceMatrix(sentences: readonly string[], options: BleuOptions): DistanceMatrix {
  const size = sentences.length;
  const tokenised = sentences.map(whitespaceTokens);
  const { postings, bySentence } = buildIndex(tokenised, options.maxOrder);
  const values = new Float64Array(size * size);
  const matchesByOrder = Array.from({ length: options.maxOrder }, () => new Float64Array(size));
  const matches: number[] = new Array<number>(options.maxOrder).fill(0);
  for (let hypothesis = 0; hypothesis < size; hypothesis += 1) {
    for (let order = 0; order < options.maxOrder; order += 1) {
      const own = bySentence[hypothesis]![order]!;
      const accumulated = matchesByOrder[order]!;
      accumulated.fill(0, hypothesis + 1);
      for (let ngram = 0; ngram < own.postings.length; ngram += 1) {
        const posting = postings[own.postings[ngram]!]!;
        const ownCount = own.counts[ngram]!;
        // Entries after this sentence's own position are exactly the later sentences (j > i).
        for (let entry = own.positions[ngram]! + 1; entry < posting.sentences.length; entry += 1) {
          const reference = posting.sentences[entry]!;
          accumulated[reference] = accumulated[reference]! + Math.min(ownCount, posting.counts[entry]!);
        }
      }
    }
    const hypothesisLength = tokenised[hypothesis]!.length;
    for (let reference = hypothesis + 1; reference < size; reference += 1) {
      for (let order = 0; order < options.maxOrder; order += 1)
        matches[order] = matchesByOrder[order]![reference]!;
      const score = bleuFromMatches(matches, hypothesisLength, tokenised[reference]!.length, options);
      assert(score >= 0 && score <= 1, `BLEU ${score} outside [0, 1]`);
      values[hypothesis * size + reference] = 1 - score;
      values[reference * size + hypothesis] = 1 - score;
    }
  }
  return { size, values };
}
