/**
 * Majority vote and self-consistency over M Solver answers, as the release's judging service computes
 * them: non-answers leave both the count and the denominator, equivalent answers share a bucket, the
 * label is the first answer of the winning bucket, `c = |majority| / |valid answers|`.
 */
import assert from "node:assert/strict";
import { isNonAnswer, normaliseAnswer } from "./answers.ts";

export interface MajorityVote {
  /** The first answer (as given) of the winning bucket; "" when no answer is valid. */
  readonly label: string;
  /** Self-consistency `c = majorityCount / validCount`, 0 when no answer is valid. In [0, 1]. */
  readonly consistency: number;
  /** Answers in the winning bucket. */
  readonly majorityCount: number;
  /** Answers that are not non-answers. */
  readonly validCount: number;
  /** Distinct equivalence classes among the valid answers. */
  readonly bucketCount: number;
}

interface Bucket {
  readonly firstAnswer: string;
  count: number;
}

/** The valid answers' equivalence classes in order of first appearance, and how many answers were valid. */
function answerBuckets(answers: readonly string[]): { buckets: Bucket[]; validCount: number } {
  const buckets = new Map<string, Bucket>();
  let validCount = 0;
  for (const answer of answers) {
    if (isNonAnswer(answer)) continue;
    validCount += 1;
    const key = normaliseAnswer(answer);
    const bucket = buckets.get(key);
    if (bucket === undefined) buckets.set(key, { firstAnswer: answer, count: 1 });
    else bucket.count += 1;
  }
  return { buckets: [...buckets.values()], validCount };
}

/**
 * Ties: among buckets with the top count, the one opened first (by its first answer's position) wins,
 * which is what Python's `max(answer_counts, key=answer_counts.get)` does over an insertion-ordered dict.
 * The label's equivalence class is therefore order-independent whenever the top bucket is unique;
 * `consistency` always is.
 */
export function majorityVote(answers: readonly string[]): MajorityVote {
  const { buckets, validCount } = answerBuckets(answers);
  let winner: Bucket | undefined;
  for (const bucket of buckets) {
    if (winner === undefined || bucket.count > winner.count) winner = bucket;
  }
  if (winner === undefined)
    return { label: "", consistency: 0, majorityCount: 0, validCount: 0, bucketCount: 0 };
  const consistency = winner.count / validCount;
  assert(consistency > 0 && consistency <= 1, `consistency ${consistency} outside (0, 1]`);
  return {
    label: winner.firstAnswer,
    consistency,
    majorityCount: winner.count,
    validCount,
    bucketCount: buckets.length,
  };
}

/**
 * The answer more of `answers` give than any other (the first given of its class), or "" when no answer
 * is valid or two classes tie for the top. Unlike {@link majorityVote} a tie has no winner, so the result
 * never depends on the answers' order.
 */
export function uniqueMajority(answers: readonly string[]): string {
  const { buckets } = answerBuckets(answers);
  const top = Math.max(0, ...buckets.map((bucket) => bucket.count));
  const leaders = buckets.filter((bucket) => bucket.count === top);
  return leaders.length === 1 ? leaders[0]!.firstAnswer : "";
}
