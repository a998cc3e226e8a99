import type { ProportionInterval } from "../report/index.ts";
import type { ByDecoding } from "./analysis.ts";
import type { ExperimentResult } from "./experiment.ts";
import { type Breakdown, breakdownRows } from "./item-groups.ts";
import type { MeanInterval, PairedDelta } from "./paired-delta.ts";

/** The experiment's result as tables for people (stdout); experiment.json holds every number. */

function points(value: number): string {
  return `${value >= 0 ? "+" : ""}${(value * 100).toFixed(1)}`;
}

/** "+4.2 [+0.8, +7.6]" in points; the interval is left out with fewer than 2 items. */
export function deltaText(delta: MeanInterval): string {
  const bounds =
    delta.low === null || delta.high === null ? "" : ` [${points(delta.low)}, ${points(delta.high)}]`;
  return `${points(delta.mean)}${bounds}`;
}

function accuracyText(value: MeanInterval): string {
  return `${(value.mean * 100).toFixed(1)}%`;
}

function proportionText(value: ProportionInterval | null | undefined): string {
  return value === null || value === undefined ? "–" : `${(value.estimate * 100).toFixed(0)}%`;
}

function numberText(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined ? "–" : value.toFixed(digits);
}

function deltaTable(title: string, delta: ByDecoding<Breakdown<PairedDelta>>, samples: number): string[] {
  const majority = delta.majority === null ? null : breakdownRows(delta.majority);
  const lines = [
    title,
    `  ${"group".padEnd(14)}${"items".padStart(6)}  ${"greedy Δ [95%]".padEnd(24)}${"across seeds [95%]".padEnd(24)}${majority === null ? "" : `majority-of-${samples} Δ [95%]`}`,
  ];
  breakdownRows(delta.greedy).forEach(([name, greedy], index) => {
    const other = majority?.[index]?.[1];
    lines.push(
      `  ${name.padEnd(14)}${String(greedy.n).padStart(6)}  ${deltaText(greedy).padEnd(24)}${deltaText(greedy.acrossSeeds).padEnd(24)}${other === undefined ? "" : deltaText(other)}`,
    );
  });
  return lines;
}

function configurationLines(result: ExperimentResult): string[] {
  const lines: string[] = [];
  const samples = result.evaluation.samples;
  for (const configuration of result.analysis.configurations) {
    lines.push("", `configuration ${configuration.name} (seeds ${configuration.seeds.join(", ")})`);
    lines.push(
      `  ${"iteration".padEnd(10)}${"greedy".padStart(8)}${"easy".padStart(8)}${"hard".padStart(8)}${samples === 0 ? "" : `${`maj-${samples}`.padStart(8)}${"easy".padStart(8)}${"hard".padStart(8)}`}  greedy Δ vs base [95%]`,
    );
    for (const iteration of configuration.iterations) {
      const { greedy, majority } = iteration.accuracy;
      const cells = [greedy.overall, greedy.byLevel.easy, greedy.byLevel.hard].map((value) =>
        (value === undefined ? "–" : accuracyText(value)).padStart(8),
      );
      const majorityCells =
        majority === null
          ? []
          : [majority.overall, majority.byLevel.easy, majority.byLevel.hard].map((value) =>
              (value === undefined ? "–" : accuracyText(value)).padStart(8),
            );
      lines.push(
        `  ${(iteration.iteration === 0 ? "base" : String(iteration.iteration)).padEnd(10)}${cells.join("")}${majorityCells.join("")}  ${iteration.vsBase === null ? "" : deltaText(iteration.vsBase.greedy.overall)}`,
      );
    }
    const final = configuration.iterations.at(-1);
    if (final?.vsBase != null)
      lines.push(
        "",
        ...deltaTable(`  final (iteration ${final.iteration}) minus base`, final.vsBase, samples),
      );
    const base = configuration.iterations[0];
    if (base?.majorityMinusGreedy != null)
      lines.push(
        "",
        `  majority-of-${samples} minus greedy: base ${deltaText(base.majorityMinusGreedy.overall)} (hard ${base.majorityMinusGreedy.byLevel.hard === undefined ? "–" : deltaText(base.majorityMinusGreedy.byLevel.hard)})` +
          (final?.majorityMinusGreedy == null || final === base
            ? ""
            : `, final ${deltaText(final.majorityMinusGreedy.overall)} (hard ${final.majorityMinusGreedy.byLevel.hard === undefined ? "–" : deltaText(final.majorityMinusGreedy.byLevel.hard)})`),
      );
  }
  return lines;
}

function oracleLines(result: ExperimentResult): string[] {
  const lines = [
    "",
    "oracle role figures (analysis only). Solver dataset of iteration i: Proposer_i proposals, Coder_i SVGs, Solver_{i-1} votes;",
    "pseudo = majority labels right, vote = single votes right, greedy = Solver_{i-1} greedy right, on the same items",
    `  ${"run".padEnd(22)}${"it".padStart(3)}${"pseudo".padStart(8)}${"vote".padStart(7)}${"greedy".padStart(8)}${"grammar".padStart(9)}${"easyOK".padStart(8)}${"hardOK".padStart(8)}${"fidelity".padStart(10)}${"render".padStart(8)}${"hardCons".padStart(10)}`,
  ];
  for (const run of result.runs) {
    for (const iteration of run.oracle) {
      const dataset = iteration.solverDataset;
      const phase = iteration.phases.find((entry) => entry.phase === "solver");
      lines.push(
        `  ${`${run.configuration} s${run.seed}`.padEnd(22)}${String(iteration.iteration).padStart(3)}${proportionText(dataset?.pseudoLabelAccuracy).padStart(8)}${proportionText(dataset?.voteAccuracy).padStart(7)}${proportionText(dataset?.greedyAccuracy).padStart(8)}${proportionText(phase?.captionsInGrammar).padStart(9)}${proportionText(phase?.proposerEasyAnswerRight).padStart(8)}${proportionText(phase?.proposerHardAnswerRight).padStart(8)}${proportionText(phase?.captionFidelity).padStart(10)}${(phase?.renderRate === null || phase?.renderRate === undefined ? "–" : `${(phase.renderRate * 100).toFixed(0)}%`).padStart(8)}${numberText(phase?.hardConsistencyMean).padStart(10)}`,
      );
    }
  }
  return lines;
}

export function formatExperimentText(result: ExperimentResult): string {
  const { benchmark, evaluation } = result;
  const lines = [
    `benchmark  ${benchmark.path} (${benchmark.items} of ${benchmark.itemsInFile} items)`,
    `evaluation greedy and majority of ${evaluation.samples} at temperature ${evaluation.temperature} (sample key ${evaluation.seed})`,
    `intervals  ${result.analysis.intervalMethod}`,
    ...configurationLines(result),
  ];
  for (const comparison of result.analysis.comparisons)
    lines.push(
      "",
      ...deltaTable(
        `${comparison.b} (iteration ${comparison.iterationB}) minus ${comparison.a} (iteration ${comparison.iterationA})`,
        comparison.delta,
        evaluation.samples,
      ),
    );
  lines.push(...oracleLines(result));
  return `${lines.map((line) => line.trimEnd()).join("\n")}\n`;
}
