/**
 * The precondition measured over several draws of the vote. One draw of k sampled answers per item is
 * noisy: on 200 hard items a single draw's majority-minus-greedy moves by several points from one key
 * to the next (docs/learning.md E27, E32), enough to make a lead appear or vanish. Averaging each item's
 * majority verdict over independent draws estimates the vote's expected accuracy, which is what a loop
 * that votes again every iteration sees. The breakdowns by answer kind and step count say where a lead
 * lives. Hard items only, paired on items; the benchmark's answers are the oracle (analysis only).
 */
import { type MeanInterval, meanInterval } from "../report/index.ts";
import type { ItemResult } from "./benchmark-evaluation.ts";
import type { BandSpan } from "./self-consistency.ts";

export type AnswerKind = "number" | "word" | "yes/no";

/** What kind of answer the benchmark expects: a whole number, yes/no (a comparison), or a word. */
export function answerKind(answer: string): AnswerKind {
  const normalised = answer.trim().toLowerCase();
  if (normalised === "yes" || normalised === "no") return "yes/no";
  return /^-?\d+$/.test(normalised) ? "number" : "word";
}

export interface VoteDrawsAnalysis {
  readonly draws: number;
  /** Per hard item: the share of draws whose majority is right, minus greedy right (0 or 1). */
  readonly majorityMinusGreedy: MeanInterval;
  /** Items and draws whose consistency lies inside the band (the pairs a loop would train on). */
  readonly band: {
    readonly span: BandSpan;
    readonly itemDraws: number;
    /** Shares over the in-band (item, draw) pairs. */
    readonly pseudoLabelRight: number;
    readonly greedyRight: number;
    /** Per item with an in-band draw: its in-band majority share right minus greedy right. */
    readonly pseudoLabelMinusGreedy: MeanInterval;
  };
  readonly byAnswerKind: Readonly<Partial<Record<AnswerKind, MeanInterval>>>;
  /** Keyed by step count ("unknown" where the item does not say). */
  readonly bySteps: Readonly<Record<string, MeanInterval>>;
}

interface HardItem {
  readonly result: ItemResult;
  /** One verdict per draw, in draw order. */
  readonly votes: readonly { readonly correct: boolean; readonly consistency: number }[];
}

function hardItems(draws: readonly (readonly ItemResult[])[]): HardItem[] {
  const [first] = draws;
  if (first === undefined) throw new RangeError("the vote needs at least one draw");
  return first.flatMap((result, index) => {
    const votes = draws.map((draw) => {
      const same = draw[index];
      if (
        draw.length !== first.length ||
        same?.id !== result.id ||
        same.greedyCorrect !== result.greedyCorrect
      )
        throw new RangeError("every draw must hold the same items with the same greedy answers");
      if (same.majorityCorrect === null || same.consistency === null)
        throw new RangeError(`item ${result.id} has no sampled answers in one draw`);
      return { correct: same.majorityCorrect, consistency: same.consistency };
    });
    return result.level === "hard" ? [{ result, votes }] : [];
  });
}

const share = (verdicts: readonly boolean[]) => verdicts.filter(Boolean).length / verdicts.length;

/** Majority minus greedy per item, averaged over the draws. */
function leads(items: readonly HardItem[]): number[] {
  return items.map(
    (item) => share(item.votes.map((vote) => vote.correct)) - Number(item.result.greedyCorrect),
  );
}

function byGroup<Key extends string>(items: readonly HardItem[], key: (item: HardItem) => Key) {
  const groups = new Map<Key, HardItem[]>();
  for (const item of items) {
    const name = key(item);
    const group = groups.get(name);
    if (group === undefined) groups.set(name, [item]);
    else group.push(item);
  }
  const sorted = [...groups].sort(([left], [right]) => left.localeCompare(right, "en", { numeric: true }));
  return Object.fromEntries(sorted.map(([name, group]) => [name, meanInterval(leads(group))])) as Record<
    Key,
    MeanInterval
  >;
}

/**
 * The precondition over `draws`: each draw is `evaluateSolver`'s result on the same items with its own
 * sampled answers (the same greedy answers). Order of the draws does not matter.
 */
export function analyseVoteDraws(
  draws: readonly (readonly ItemResult[])[],
  span: BandSpan,
): VoteDrawsAnalysis {
  const items = hardItems(draws);
  const inBand = (vote: { readonly consistency: number }) =>
    vote.consistency >= span.minimum && vote.consistency <= span.maximum;
  const banded = items
    .map((item) => ({ greedyCorrect: item.result.greedyCorrect, votes: item.votes.filter(inBand) }))
    .filter((item) => item.votes.length > 0);
  const pairs = banded.flatMap((item) =>
    item.votes.map((vote) => ({ label: vote.correct, greedy: item.greedyCorrect })),
  );
  return {
    draws: draws.length,
    majorityMinusGreedy: meanInterval(leads(items)),
    band: {
      span,
      itemDraws: pairs.length,
      pseudoLabelRight: pairs.length === 0 ? 0 : share(pairs.map((pair) => pair.label)),
      greedyRight: pairs.length === 0 ? 0 : share(pairs.map((pair) => pair.greedy)),
      pseudoLabelMinusGreedy: meanInterval(
        banded.map((item) => share(item.votes.map((vote) => vote.correct)) - Number(item.greedyCorrect)),
      ),
    },
    byAnswerKind: byGroup(items, (item) => answerKind(item.result.answer)),
    bySteps: byGroup(items, (item) => (item.result.steps === null ? "unknown" : String(item.result.steps))),
  };
}
