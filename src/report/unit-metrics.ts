import type { PolicyRole } from "../events/index.ts";
import { contentTypes } from "../rewards/index.ts";
import {
  countAdd,
  emptyTally,
  normalisedEntropy,
  type ProportionInterval,
  rate,
  shares,
  type Tally,
  tallyAdd,
  tallyMean,
  tallyMerge,
  unitIntervalBin,
  wilsonInterval,
} from "./statistics.ts";

/**
 * Metrics of one unit of a run, as mergeable sums and counts: a unit is one GRPO step of one phase,
 * or the dataset building at the start of a phase. Units merge into iterations and whole phases by
 * `mergeUnitMetrics` (associative and commutative, with `emptyUnitMetrics` as identity), so the same
 * accumulators serve per-step curves, per-iteration tables and live counters.
 */

/** "step": a GRPO step's rollouts and their judging; "dataset": the prompts or items built before the steps. */
export type Stage = "step" | "dataset";

export interface UnitKey {
  readonly iteration: number;
  readonly phase: PolicyRole;
  readonly stage: Stage;
  /** The GRPO step (0-based); 0 for the dataset stage. */
  readonly step: number;
}

/** Bins of the hard-consistency histogram over [0, 1]. */
export const consistencyBinCount = 10;

export interface OracleCounts {
  /** Rendered images whose caption the oracle can read, and those that draw exactly that caption. */
  readonly depictsChecked: number;
  readonly depicts: number;
  /** Valid proposals whose question the oracle can answer, and those whose Proposer answer is right. */
  readonly easyAnswerChecked: number;
  readonly easyAnswerCorrect: number;
  readonly hardAnswerChecked: number;
  readonly hardAnswerCorrect: number;
}

export interface GrpoTallies {
  readonly loss: Tally;
  readonly policyLoss: Tally;
  readonly kl: Tally;
  readonly clipFraction: Tally;
  readonly gradNorm: Tally;
}

export interface UnitMetrics {
  readonly proposals: number;
  readonly validProposals: number;
  /** Valid proposals by content type. */
  readonly contentTypes: Readonly<Record<string, number>>;
  readonly codes: number;
  readonly codeCharacters: number;
  readonly rendered: number;
  /** Failed renders by outcome kind (NoCode, XmlError, ...). */
  readonly renderFailures: Readonly<Record<string, number>>;
  /** Majority-vote consistency of the frozen Solver's judging answers, per question kind. */
  readonly easyConsistency: Tally;
  readonly hardConsistency: Tally;
  readonly hardConsistencyBins: readonly number[];
  readonly reward: Tally;
  readonly components: Readonly<Record<string, Tally>>;
  readonly groups: number;
  /** Groups whose rewards are all equal: no GRPO signal. */
  readonly flatGroups: number;
  readonly updates: number;
  readonly grpo: GrpoTallies;
  readonly oracle: OracleCounts;
}

export const emptyUnitMetrics: UnitMetrics = {
  proposals: 0,
  validProposals: 0,
  contentTypes: {},
  codes: 0,
  codeCharacters: 0,
  rendered: 0,
  renderFailures: {},
  easyConsistency: emptyTally,
  hardConsistency: emptyTally,
  hardConsistencyBins: Array.from({ length: consistencyBinCount }, () => 0),
  reward: emptyTally,
  components: {},
  groups: 0,
  flatGroups: 0,
  updates: 0,
  grpo: {
    loss: emptyTally,
    policyLoss: emptyTally,
    kl: emptyTally,
    clipFraction: emptyTally,
    gradNorm: emptyTally,
  },
  oracle: {
    depictsChecked: 0,
    depicts: 0,
    easyAnswerChecked: 0,
    easyAnswerCorrect: 0,
    hardAnswerChecked: 0,
    hardAnswerCorrect: 0,
  },
};

function mergeCounts(first: Readonly<Record<string, number>>, second: Readonly<Record<string, number>>) {
  let merged = first;
  for (const [name, count] of Object.entries(second)) merged = countAdd(merged, name, count);
  return merged;
}

function mergeTallies(first: Readonly<Record<string, Tally>>, second: Readonly<Record<string, Tally>>) {
  const merged: Record<string, Tally> = { ...first };
  for (const [name, tally] of Object.entries(second))
    merged[name] = tallyMerge(merged[name] ?? emptyTally, tally);
  return merged;
}

function mergeOracle(first: OracleCounts, second: OracleCounts): OracleCounts {
  return {
    depictsChecked: first.depictsChecked + second.depictsChecked,
    depicts: first.depicts + second.depicts,
    easyAnswerChecked: first.easyAnswerChecked + second.easyAnswerChecked,
    easyAnswerCorrect: first.easyAnswerCorrect + second.easyAnswerCorrect,
    hardAnswerChecked: first.hardAnswerChecked + second.hardAnswerChecked,
    hardAnswerCorrect: first.hardAnswerCorrect + second.hardAnswerCorrect,
  };
}

export function mergeUnitMetrics(first: UnitMetrics, second: UnitMetrics): UnitMetrics {
  return {
    proposals: first.proposals + second.proposals,
    validProposals: first.validProposals + second.validProposals,
    contentTypes: mergeCounts(first.contentTypes, second.contentTypes),
    codes: first.codes + second.codes,
    codeCharacters: first.codeCharacters + second.codeCharacters,
    rendered: first.rendered + second.rendered,
    renderFailures: mergeCounts(first.renderFailures, second.renderFailures),
    easyConsistency: tallyMerge(first.easyConsistency, second.easyConsistency),
    hardConsistency: tallyMerge(first.hardConsistency, second.hardConsistency),
    hardConsistencyBins: first.hardConsistencyBins.map(
      (count, bin) => count + second.hardConsistencyBins[bin]!,
    ),
    reward: tallyMerge(first.reward, second.reward),
    components: mergeTallies(first.components, second.components),
    groups: first.groups + second.groups,
    flatGroups: first.flatGroups + second.flatGroups,
    updates: first.updates + second.updates,
    grpo: {
      loss: tallyMerge(first.grpo.loss, second.grpo.loss),
      policyLoss: tallyMerge(first.grpo.policyLoss, second.grpo.policyLoss),
      kl: tallyMerge(first.grpo.kl, second.grpo.kl),
      clipFraction: tallyMerge(first.grpo.clipFraction, second.grpo.clipFraction),
      gradNorm: tallyMerge(first.grpo.gradNorm, second.grpo.gradNorm),
    },
    oracle: mergeOracle(first.oracle, second.oracle),
  };
}

/** A judging answer set's majority consistency, in the right question's accumulators. */
export function withConsistency(
  metrics: UnitMetrics,
  question: "easy" | "hard",
  consistency: number,
): UnitMetrics {
  if (question === "easy")
    return { ...metrics, easyConsistency: tallyAdd(metrics.easyConsistency, consistency) };
  const bin = unitIntervalBin(consistency, consistencyBinCount);
  return {
    ...metrics,
    hardConsistency: tallyAdd(metrics.hardConsistency, consistency),
    hardConsistencyBins: metrics.hardConsistencyBins.map((count, index) =>
      index === bin ? count + 1 : count,
    ),
  };
}

/** A reward and its components (RewardScored records only reward terms among them). */
export function withReward(
  metrics: UnitMetrics,
  total: number,
  components: Readonly<Record<string, number>>,
) {
  let merged = metrics.components;
  for (const [name, value] of Object.entries(components)) {
    merged = { ...merged, [name]: tallyAdd(merged[name] ?? emptyTally, value) };
  }
  return { ...metrics, reward: tallyAdd(metrics.reward, total), components: merged };
}

/** The components each role's solvability and difficulty are recorded under (src/decisions/reward-components.ts). */
const measureComponents: Readonly<Record<PolicyRole, { solvability: string; difficulty: string } | null>> = {
  proposer: { solvability: "meanSolvability", difficulty: "meanDifficulty" },
  coder: { solvability: "solvability", difficulty: "difficulty" },
  solver: null,
};

export interface GrpoMeans {
  readonly loss: number | null;
  readonly policyLoss: number | null;
  readonly kl: number | null;
  readonly clipFraction: number | null;
  readonly gradNorm: number | null;
}

/** A unit's metrics as means, rates and intervals (null where nothing was measured). */
export interface UnitSummary {
  readonly proposals: number;
  readonly validRate: number | null;
  readonly codes: number;
  readonly renderRate: number | null;
  readonly renderFailures: Readonly<Record<string, number>>;
  readonly codeLengthMean: number | null;
  readonly easyConsistencyMean: number | null;
  readonly hardConsistencyMean: number | null;
  /** Mean easy consistency minus mean hard consistency (MM-Zero's "easy-minus-hard gap"). */
  readonly consistencyGap: number | null;
  /** Share of judged hard questions per consistency bin; null when none was judged. */
  readonly hardConsistencyShares: readonly number[] | null;
  readonly contentTypeShares: Readonly<Record<string, number>>;
  readonly contentTypeEntropy: number | null;
  readonly rewardMean: number | null;
  readonly rewardCount: number;
  readonly componentMeans: Readonly<Record<string, number>>;
  readonly solvability: number | null;
  readonly difficulty: number | null;
  readonly groups: number;
  readonly flatGroupRate: number | null;
  readonly updates: number;
  readonly grpo: GrpoMeans;
  readonly captionFidelity: ProportionInterval | null;
  readonly proposerEasyAnswerAccuracy: ProportionInterval | null;
  readonly proposerHardAnswerAccuracy: ProportionInterval | null;
}

function difference(first: number | null, second: number | null): number | null {
  return first === null || second === null ? null : first - second;
}

export function summariseUnit(metrics: UnitMetrics, phase: PolicyRole): UnitSummary {
  const renders =
    metrics.rendered + Object.values(metrics.renderFailures).reduce((sum, count) => sum + count, 0);
  const componentMeans = Object.fromEntries(
    Object.entries(metrics.components).map(([name, tally]) => [name, tallyMean(tally) ?? 0]),
  );
  const measures = measureComponents[phase];
  const easyConsistencyMean = tallyMean(metrics.easyConsistency);
  const hardConsistencyMean = tallyMean(metrics.hardConsistency);
  const judged = metrics.hardConsistency.count;
  const oracle = metrics.oracle;
  return {
    proposals: metrics.proposals,
    validRate: rate(metrics.validProposals, metrics.proposals),
    codes: metrics.codes,
    renderRate: rate(metrics.rendered, renders),
    renderFailures: metrics.renderFailures,
    codeLengthMean: metrics.codes === 0 ? null : metrics.codeCharacters / metrics.codes,
    easyConsistencyMean,
    hardConsistencyMean,
    consistencyGap: difference(easyConsistencyMean, hardConsistencyMean),
    hardConsistencyShares: judged === 0 ? null : metrics.hardConsistencyBins.map((count) => count / judged),
    contentTypeShares: shares(metrics.contentTypes),
    contentTypeEntropy: normalisedEntropy(metrics.contentTypes, contentTypes.length),
    rewardMean: tallyMean(metrics.reward),
    rewardCount: metrics.reward.count,
    componentMeans,
    solvability: measures === null ? null : (componentMeans[measures.solvability] ?? null),
    difficulty: measures === null ? null : (componentMeans[measures.difficulty] ?? null),
    groups: metrics.groups,
    flatGroupRate: rate(metrics.flatGroups, metrics.groups),
    updates: metrics.updates,
    grpo: {
      loss: tallyMean(metrics.grpo.loss),
      policyLoss: tallyMean(metrics.grpo.policyLoss),
      kl: tallyMean(metrics.grpo.kl),
      clipFraction: tallyMean(metrics.grpo.clipFraction),
      gradNorm: tallyMean(metrics.grpo.gradNorm),
    },
    captionFidelity: wilsonInterval(oracle.depicts, oracle.depictsChecked),
    proposerEasyAnswerAccuracy: wilsonInterval(oracle.easyAnswerCorrect, oracle.easyAnswerChecked),
    proposerHardAnswerAccuracy: wilsonInterval(oracle.hardAnswerCorrect, oracle.hardAnswerChecked),
  };
}
