/**
 * Can self-consistency improve this Solver? The precondition MM-Zero's Solver phase needs (docs/learning.md):
 * on hard items the majority of k sampled answers must beat the greedy answer, and inside the hard-consistency
 * band that builds the Solver's dataset the majority label (the pseudo-label) must be right more often than
 * the greedy answer on the same items. Paired on items; the benchmark's answers play the oracle (analysis only).
 */
import { type MeanInterval, meanInterval } from "../report/index.ts";
import { type Proportion, proportion } from "./wilson.ts";

/** Mean of `after[i] - before[i]` over paired outcomes (each -1, 0 or +1), with its 95% t interval. */
export function pairedDifference(before: readonly boolean[], after: readonly boolean[]): MeanInterval {
  if (before.length !== after.length) throw new RangeError("paired outcomes need equal lengths");
  return meanInterval(before.map((value, index) => Number(after[index]) - Number(value)));
}

/** One item as the analysis needs it: greedy right, majority right, majority consistency. */
export interface ConsistencyOutcome {
  readonly greedyCorrect: boolean;
  readonly majorityCorrect: boolean;
  /** Share of valid sampled answers in the majority bucket, in [0, 1]. */
  readonly consistency: number;
}

export interface BandSpan {
  readonly minimum: number;
  readonly maximum: number;
}

export interface SelfConsistencyAnalysis {
  readonly greedy: Proportion;
  readonly majority: Proportion;
  /** Majority minus greedy, paired on items. */
  readonly majorityMinusGreedy: MeanInterval;
  readonly band: {
    readonly span: BandSpan;
    /** Pseudo-labels (majority answers) right, on the items whose consistency is inside the band. */
    readonly pseudoLabelRight: Proportion;
    readonly greedyRight: Proportion;
    readonly pseudoLabelMinusGreedy: MeanInterval;
  };
}

export function analyseSelfConsistency(
  outcomes: readonly ConsistencyOutcome[],
  span: BandSpan,
): SelfConsistencyAnalysis {
  const count = (list: readonly ConsistencyOutcome[], key: "greedyCorrect" | "majorityCorrect") =>
    proportion(list.filter((outcome) => outcome[key]).length, list.length);
  const inBand = outcomes.filter(
    (outcome) => outcome.consistency >= span.minimum && outcome.consistency <= span.maximum,
  );
  const difference = (list: readonly ConsistencyOutcome[]) =>
    pairedDifference(
      list.map((outcome) => outcome.greedyCorrect),
      list.map((outcome) => outcome.majorityCorrect),
    );
  return {
    greedy: count(outcomes, "greedyCorrect"),
    majority: count(outcomes, "majorityCorrect"),
    majorityMinusGreedy: difference(outcomes),
    band: {
      span,
      pseudoLabelRight: count(inBand, "majorityCorrect"),
      greedyRight: count(inBand, "greedyCorrect"),
      pseudoLabelMinusGreedy: difference(inBand),
    },
  };
}
