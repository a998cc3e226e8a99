import type { PayloadOf } from "../events/index.ts";
import type { ProportionInterval, ReportState } from "../report/index.ts";
import { orderedUnits, summariseUnit } from "../report/index.ts";
import type { ExportRow } from "./row.ts";

/**
 * One row per unit of the run, for analysis: `iteration`, `phase`, `role` (the policy the unit's
 * numbers describe), `stage` and `step` as plain fields, then the unit's summary (the report's
 * numbers: rates, reward and component means, GRPO means, oracle intervals). Steps are 1-based,
 * as everywhere people read them; 0 marks the dataset built before step 1 and the benchmark.
 */
export function metricRows(
  state: ReportState,
  evaluations: readonly PayloadOf<"BenchmarkEvaluated">[],
): ExportRow[] {
  const units = orderedUnits(state).map(({ key, metrics }): ExportRow => {
    const {
      renderFailures,
      hardConsistencyShares,
      grpo,
      captionFidelity,
      proposerEasyAnswerAccuracy,
      proposerHardAnswerAccuracy,
      ...summary
    } = summariseUnit(metrics, key.phase);
    return {
      iteration: key.iteration,
      phase: key.phase,
      role: key.phase,
      stage: key.stage,
      step: key.stage === "step" ? key.step + 1 : 0,
      ...summary,
      renderFailures,
      grpo: { ...grpo },
      captionFidelity: interval(captionFidelity),
      proposerEasyAnswerAccuracy: interval(proposerEasyAnswerAccuracy),
      proposerHardAnswerAccuracy: interval(proposerHardAnswerAccuracy),
      // Why a field per bin: a list is not a column; bins are [i/10, (i+1)/10).
      hardConsistencyShares:
        hardConsistencyShares === null
          ? null
          : Object.fromEntries(hardConsistencyShares.map((share, bin) => [`bin${bin}`, share])),
    };
  });
  const benchmarks = evaluations.map(
    (evaluation): ExportRow => ({
      iteration: evaluation.iteration,
      phase: "benchmark",
      role: "solver",
      stage: "benchmark",
      step: 0,
      accuracy: share(evaluation.overall),
      items: evaluation.overall.total,
      accuracyByLevel: shares(evaluation.byLevel),
      accuracyByContentType: shares(evaluation.byContentType),
    }),
  );
  return [...benchmarks, ...units].sort(
    (first, second) => Number(first.iteration) - Number(second.iteration),
  );
}

/** An oracle interval as its estimate and 95% bounds (null when nothing was checked). */
function interval(value: ProportionInterval | null): ExportRow | null {
  return value === null
    ? null
    : { estimate: value.estimate, lower: value.lower, upper: value.upper, total: value.total };
}

function share(accuracy: { readonly correct: number; readonly total: number }): number | null {
  return accuracy.total === 0 ? null : accuracy.correct / accuracy.total;
}

function shares(
  byName: Readonly<Record<string, { readonly correct: number; readonly total: number }>>,
): Record<string, number | null> {
  return Object.fromEntries(
    Object.keys(byName)
      .sort()
      .map((name) => [name, share(byName[name]!)]),
  );
}
