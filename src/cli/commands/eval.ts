// `mmzero eval`: the Solver's accuracy on the public benchmark (greedy and majority-of-k, with 95%
// Wilson intervals), as a table for people or JSON for scripts; optionally the Proposer's and the
// Coder's numbers for the same checkpoint (docs/world.md, "Pretraining and the base model").

import type { Command } from "commander";
import { committedBasePath } from "../../app/index.ts";
import { selectBackend } from "../../gpu/index.ts";
import {
  type AccuracyBreakdown,
  type EvaluationReport,
  evaluateCheckpoint,
  type Proportion,
} from "../../pretrain/index.ts";
import type { MeanInterval } from "../../report/index.ts";
import { benchmarkProfiles } from "../../world/index.ts";
import {
  benchmarkFileHelp,
  positiveWholeNumber,
  samplingTemperature,
  wholeNumber,
} from "../option-parsers.ts";
import { natsSourceOption, type RunSourceFlags, runIdOption, withRunSource } from "../run-source.ts";
import { createProgressDisplay } from "../ui/progress-display.ts";

interface EvalFlags extends RunSourceFlags {
  readonly solver?: string;
  readonly bench: string;
  readonly samples: number;
  readonly temperature: number;
  readonly draws: number;
  readonly seed: string;
  readonly limit: number;
  readonly json?: boolean;
  readonly roles?: number | true;
}

/** Why: 256 samples put a 95% interval within about ±6 points. */
const roleSamplesDefault = 256;

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

function cell(proportion: Proportion): string {
  return `${percent(proportion.accuracy).padStart(6)} [${percent(proportion.low)}, ${percent(proportion.high)}]`.padEnd(
    30,
  );
}

const points = (value: number) => (value * 100).toFixed(1);

/** A paired difference in points with its interval: `+2.3 [-1.9, 6.5]`. */
function signedPoints(difference: MeanInterval): string {
  const interval =
    difference.low === null || difference.high === null
      ? ""
      : ` [${points(difference.low)}, ${points(difference.high)}]`;
  return `${difference.mean >= 0 ? "+" : ""}${points(difference.mean)}${interval}`;
}

function groupLeads(groups: Readonly<Record<string, MeanInterval>>): string {
  return Object.entries(groups)
    .map(([name, lead]) => `${name} ${signedPoints(lead)} (${lead.n})`)
    .join(" · ");
}

/** The precondition averaged over several votes (`--draws`), where the lead lives. */
function voteDrawsLines(report: EvaluationReport): string[] {
  const analysis = report.voteDraws;
  if (analysis === null) return [];
  const { band } = analysis;
  return [
    "",
    `self-consistency on hard items over ${analysis.draws} draws of ${report.summary.samples} (each item's majority right averaged over the draws; paired on items, 95% CI)`,
    `  majority minus greedy      ${signedPoints(analysis.majorityMinusGreedy)} points over ${analysis.majorityMinusGreedy.n} items`,
    `  band [${band.span.minimum}, ${band.span.maximum}]          ${band.itemDraws} item-draws on ${band.pseudoLabelMinusGreedy.n} items: pseudo-labels right ${percent(band.pseudoLabelRight)}, greedy right ${percent(band.greedyRight)}, ${signedPoints(band.pseudoLabelMinusGreedy)} points`,
    `  by answer kind             ${groupLeads(analysis.byAnswerKind)}`,
    `  by steps                   ${groupLeads(analysis.bySteps)}`,
  ];
}

function breakdownRows(breakdown: AccuracyBreakdown): [string, Proportion][] {
  return [
    ["overall", breakdown.overall],
    ...Object.entries(breakdown.byLevel),
    ...Object.entries(breakdown.byContentType),
  ];
}

/** The report as a table for people: one row per group, greedy and majority side by side. */
export function formatEvaluationTable(report: EvaluationReport): string {
  const { summary } = report;
  const lines = [
    `solver     ${report.solver.source}`,
    `           weight hash ${report.solver.weightHash}`,
    `benchmark  ${report.benchmark.path} (${summary.items} of ${report.benchmark.itemsInFile} items, sha256 ${report.benchmark.sha256.slice(0, 16)}…)`,
    "",
    `${"group".padEnd(12)}${"items".padStart(6)}  ${"greedy [95% CI]".padEnd(30)}${summary.majority === null ? "" : `majority of ${summary.samples} [95% CI]`}`,
  ];
  const majorityRows = summary.majority === null ? null : breakdownRows(summary.majority);
  breakdownRows(summary.greedy).forEach(([name, greedy], index) => {
    const majority = majorityRows?.[index]?.[1];
    lines.push(
      `${name.padEnd(12)}${String(greedy.total).padStart(6)}  ${cell(greedy)}${majority === undefined ? "" : cell(majority)}`,
    );
  });
  const consistency = summary.hardSelfConsistency;
  if (consistency !== null) {
    const signed = (difference: MeanInterval) => `${signedPoints(difference)} points`;
    const { band } = consistency;
    lines.push(
      "",
      `self-consistency on hard items (majority of ${summary.samples} at temperature ${report.temperature}; paired on items, 95% CI)`,
      `  majority minus greedy      ${signed(consistency.majorityMinusGreedy)} over ${consistency.majorityMinusGreedy.n} items`,
      `  band [${band.span.minimum}, ${band.span.maximum}] items     ${band.pseudoLabelRight.total}: pseudo-labels right ${percent(band.pseudoLabelRight.accuracy)}, greedy right ${percent(band.greedyRight.accuracy)}, ${signed(band.pseudoLabelMinusGreedy)}`,
    );
  }
  lines.push(...voteDrawsLines(report));
  if (report.roles !== null) {
    const { proposer, coder, samples } = report.roles;
    lines.push(
      "",
      `roles (${samples} samples each, temperature 1; oracle figures are analysis only)`,
      `  proposer format-valid     ${cell(proposer.formatValid)}`,
      `  proposer caption valid    ${cell(proposer.captionValid)}`,
      `  proposer easy answer right${cell(proposer.easyAnswerRight)}`,
      `  proposer hard answer right${cell(proposer.hardAnswerRight)}`,
      `  coder renders             ${cell(coder.renders)}`,
      `  coder depicts caption     ${cell(coder.depictsCaption)}`,
    );
  }
  return `${lines.map((line) => line.trimEnd()).join("\n")}\n`;
}

async function evalCommand(flags: EvalFlags, solver: string | undefined): Promise<void> {
  const backend = await selectBackend();
  process.stderr.write(`mmzero eval: backend ${backend.info.name} ${backend.info.version}\n`);
  const display = createProgressDisplay("evaluating");
  let report: EvaluationReport;
  try {
    report = await evaluateCheckpoint({
      solverPath: solver ?? committedBasePath("small"),
      benchmarkPath: flags.bench,
      seed: flags.seed,
      samples: flags.samples,
      temperature: flags.temperature,
      draws: flags.draws,
      limit: flags.limit,
      roleSamples: flags.roles === undefined ? 0 : flags.roles === true ? roleSamplesDefault : flags.roles,
      onProgress: (done, total) => display.update(done, total, "generations"),
    });
  } finally {
    // Before printing, so the table never lands on the bar's line; also on failure, to restore the cursor.
    display.stop();
  }
  process.stdout.write(
    flags.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatEvaluationTable(report),
  );
}

export function registerEvalCommand(program: Command): void {
  program
    .command("eval")
    .description(
      "Evaluate a Solver on the public benchmark: accuracy overall, per level and per content type, greedy and majority-of-k, with 95% Wilson intervals.",
    )
    .option(
      "--solver <checkpoint|run-dir>",
      "checkpoint file, or run directory (its last Solver update; or use --nats and --run); default: models/base-small.ckpt",
    )
    .option("--bench <file>", benchmarkFileHelp, benchmarkProfiles.public.path)
    .option(
      "-k, --samples <k>",
      "answers sampled per item for the majority vote (0: greedy only)",
      wholeNumber,
      8,
    )
    .option(
      "--temperature <t>",
      "temperature of the sampled answers (the loop labels its Solver dataset at judge.solverTemperature)",
      samplingTemperature,
      1,
    )
    .option(
      "--draws <n>",
      "independent votes of k answers per item; above 1 the hard-item precondition is averaged over them, by answer kind and step count (one vote of 10 moves by several points from key to key)",
      positiveWholeNumber,
      1,
    )
    .option("-s, --seed <seed>", "key of the sampled answers", "mmzero-eval")
    .option("--limit <n>", "evaluate n items evenly spaced through the file (0: all)", wholeNumber, 0)
    .option(
      "--roles [samples]",
      `also sample the checkpoint as Proposer and Coder (default ${roleSamplesDefault} each)`,
      wholeNumber,
    )
    .option("--json", "print the full report as JSON (for scripts)")
    .addOption(natsSourceOption().conflicts("solver"))
    .addOption(runIdOption())
    .action(async (flags: EvalFlags) => {
      if (flags.nats === undefined && flags.run === undefined) return evalCommand(flags, flags.solver);
      // The Solver of a run stored in JetStream: pulled with its blobs (the checkpoints).
      return withRunSource(undefined, flags, { blobs: true }, (source) =>
        evalCommand(flags, source.directory),
      );
    });
}
