import type { RunSessionResult } from "../../app/index.ts";
import { formatTable, terminalWidth } from "./table.ts";

function percent(correct: number, total: number): string {
  return total === 0 ? "  n/a" : `${((100 * correct) / total).toFixed(1).padStart(5)}%`;
}

/** The run's closing summary: status, where it is, and the Solver's benchmark accuracy per iteration. */
export async function printRunSummary(
  result: RunSessionResult,
  elapsedMs: number,
  stream: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const lines = [
    "",
    `run ${result.runId}: ${result.status} in ${(elapsedMs / 1000).toFixed(1)} s on ${result.backend.info.name}`,
    `  directory   ${result.outDir}`,
    `  events      ${result.eventCount} (chain head ${result.chainHead.slice(0, 16)})`,
  ];
  if (result.failure !== null) lines.push(`  failure     ${result.failure.name}: ${result.failure.message}`);
  if (result.evaluations.length > 0) {
    lines.push("  Solver accuracy on the public benchmark slice (greedy):");
    const levels = [
      ...new Set(result.evaluations.flatMap((evaluation) => Object.keys(evaluation.byLevel))),
    ].sort();
    const rows = result.evaluations.map((evaluation) => [
      evaluation.iteration === 0 ? "base" : `after ${evaluation.iteration}`,
      percent(evaluation.overall.correct, evaluation.overall.total).trim(),
      ...levels.map((name) => {
        const tally = evaluation.byLevel[name];
        return tally === undefined ? "n/a" : percent(tally.correct, tally.total).trim();
      }),
    ]);
    const width = terminalWidth();
    lines.push(
      ...formatTable(
        ["iteration", "overall", ...levels],
        rows,
        width === undefined ? undefined : width - 4,
      ).map((line) => `    ${line}`),
    );
    const first = result.evaluations[0]!;
    const last = result.evaluations.at(-1)!;
    for (const [label, proportion] of [
      ["pseudo-label accuracy", result.oracle.pseudoLabelAccuracy],
      ["caption fidelity     ", result.oracle.captionFidelity],
    ] as const) {
      if (proportion === null) continue;
      lines.push(
        `  ${label} ${percent(proportion.successes, proportion.total).trim()} of ${proportion.total} (95% ${(100 * proportion.lower).toFixed(1)}-${(100 * proportion.upper).toFixed(1)}%; oracle, analysis only)`,
      );
    }
    lines.push(
      `  base ${percent(first.overall.correct, first.overall.total).trim()} -> final ${percent(last.overall.correct, last.overall.total).trim()} (n = ${last.overall.total})`,
    );
  }
  stream.write(`${lines.join("\n")}\n`);
}
