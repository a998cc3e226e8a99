import { type PolicyRole, policyRoles } from "../events/index.ts";
import { type ProportionInterval, type ReportState, reportMetrics, wilsonInterval } from "../report/index.ts";
import { answersEquivalent } from "../rewards/index.ts";
import { parseCaption } from "../world/index.ts";

/**
 * ANALYSIS ONLY: the oracle's view of each role, per iteration and phase of a run, from the run's
 * recorded events (the report's fold and its oracle verdicts; nothing is sampled again). Nothing
 * here feeds the loop: an experiment reads finished logs.
 *
 * Which policy a figure measures follows the schedule: in iteration i's Solver phase the dataset's
 * proposals come from Proposer_i, its SVGs from Coder_i and its votes from Solver_{i-1}; in the
 * Proposer and Coder phases the trained role's figures are its GRPO rollouts, judged by the frozen
 * others of iteration i-1.
 */

export interface PhaseOracle {
  readonly phase: PolicyRole;
  readonly proposals: number;
  /** Sampled proposals (format-invalid ones included) whose caption the world grammar parses. */
  readonly captionsInGrammar: ProportionInterval | null;
  readonly proposerEasyAnswerRight: ProportionInterval | null;
  readonly proposerHardAnswerRight: ProportionInterval | null;
  /** Rendered SVGs that draw exactly their caption (oracleDepicts). */
  readonly captionFidelity: ProportionInterval | null;
  readonly renderRate: number | null;
  readonly hardConsistencyMean: number | null;
  /** Share of judged hard questions per consistency bin over [0, 1]. */
  readonly hardConsistencyShares: readonly number[] | null;
}

export interface SolverDatasetOracle {
  readonly items: number;
  /** Pseudo-labels (majority of the frozen Solver's votes) that are the true answer. */
  readonly pseudoLabelAccuracy: ProportionInterval | null;
  /**
   * The same frozen Solver's single votes on the same items, right against the truth: what one
   * sample gets without the vote (the majority should beat it for self-consistency to help).
   */
  readonly voteAccuracy: ProportionInterval | null;
  /** The same Solver's greedy answers on the same items (null when they were not evaluated). */
  readonly greedyAccuracy: ProportionInterval | null;
}

export interface IterationOracle {
  readonly iteration: number;
  readonly phases: readonly PhaseOracle[];
  /** null when the iteration built no Solver dataset. */
  readonly solverDataset: SolverDatasetOracle | null;
}

function captionsInGrammar(state: ReportState): Map<string, { parsed: number; total: number }> {
  const counts = new Map<string, { parsed: number; total: number }>();
  for (const { payload } of state.samples.proposals()) {
    const key = `${payload.iteration}/${payload.phase}`;
    const count = counts.get(key) ?? { parsed: 0, total: 0 };
    count.total += 1;
    if (payload.proposal !== null && parseCaption(payload.proposal.caption).ok) count.parsed += 1;
    counts.set(key, count);
  }
  return counts;
}

/** Per Solver dataset iteration: the kept items' votes right against the oracle's truth. */
function voteAccuracies(state: ReportState): Map<number, Count> {
  const byIteration = new Map<number, { correct: number; total: number }>();
  for (const record of state.datasets) {
    if (record.phase !== "solver") continue;
    for (const item of record.items) {
      if (item.verdict === null || item.verdict.verdict === "unknown") continue;
      const image = state.samples.find(item.imageId, "ImageRendered");
      const hard = image === undefined ? null : state.samples.answersOf(image).hard;
      if (hard === null) continue;
      const tally = byIteration.get(record.iteration) ?? { correct: 0, total: 0 };
      for (const sample of hard.payload.samples) {
        tally.total += 1;
        if (answersEquivalent(sample.answer, item.verdict.truth)) tally.correct += 1;
      }
      byIteration.set(record.iteration, tally);
    }
  }
  return byIteration;
}

/** Right answers out of a total. */
export interface Count {
  readonly correct: number;
  readonly total: number;
}

/** The oracle's role figures of every iteration of a folded run (the greedy figure comes later). */
export function runOracle(state: ReportState): IterationOracle[] {
  const metrics = reportMetrics(state);
  const grammar = captionsInGrammar(state);
  const votes = voteAccuracies(state);
  return metrics.iterations.map((overview) => {
    const dataset = metrics.datasets.find(
      (view) => view.iteration === overview.iteration && view.phase === "solver",
    );
    const vote = votes.get(overview.iteration);
    return {
      iteration: overview.iteration,
      phases: policyRoles.map((phase): PhaseOracle => {
        const summary = overview.byPhase[phase];
        const captions = grammar.get(`${overview.iteration}/${phase}`);
        return {
          phase,
          proposals: summary.proposals,
          captionsInGrammar: captions === undefined ? null : wilsonInterval(captions.parsed, captions.total),
          proposerEasyAnswerRight: summary.proposerEasyAnswerAccuracy,
          proposerHardAnswerRight: summary.proposerHardAnswerAccuracy,
          captionFidelity: summary.captionFidelity,
          renderRate: summary.renderRate,
          hardConsistencyMean: summary.hardConsistencyMean,
          hardConsistencyShares: summary.hardConsistencyShares,
        };
      }),
      solverDataset:
        dataset === undefined
          ? null
          : {
              items: dataset.funnel.kept,
              pseudoLabelAccuracy: dataset.pseudoLabelAccuracy,
              voteAccuracy: vote === undefined ? null : wilsonInterval(vote.correct, vote.total),
              greedyAccuracy: null,
            },
    };
  });
}

/** The figures with the voting Solver's greedy results on each iteration's dataset items added. */
export function withDatasetGreedy(
  oracle: readonly IterationOracle[],
  greedy: ReadonlyMap<number, Count>,
): IterationOracle[] {
  return oracle.map((entry) => {
    const count = greedy.get(entry.iteration);
    if (entry.solverDataset === null || count === undefined) return entry;
    return {
      ...entry,
      solverDataset: { ...entry.solverDataset, greedyAccuracy: wilsonInterval(count.correct, count.total) },
    };
  });
}
