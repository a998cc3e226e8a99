import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import {
  type ExportDataset,
  type ExportFormat,
  encodeRows,
  exportDatasets,
  exportFormats,
  exportRows,
  isExportDataset,
  isExportFormat,
} from "../../export/index.ts";
import { readRunEvents } from "../run-events.ts";
import { natsSourceOption, type RunSourceFlags, runIdOption, withRunSource } from "../run-source.ts";

interface ExportFlags extends RunSourceFlags {
  readonly what: ExportDataset;
  readonly format: ExportFormat;
  readonly out?: string;
}

function choice<T extends string>(
  name: string,
  known: readonly T[],
  is: (value: string) => value is T,
): (text: string) => T {
  return (text) => {
    if (!is(text))
      throw new InvalidArgumentError(`${name} must be one of ${known.join(", ")}, not "${text}"`);
    return text;
  };
}

export function registerExportCommand(program: Command): void {
  program
    .command("export")
    .description(
      "Write a run's metrics (one row per unit: numeric iteration, phase, role, stage, 1-based step, then the report's numbers), samples (prompt, output, render outcome, answers, reward and components per generated text) or events (decoded JSON) as JSON lines, CSV or Parquet, for pandas, polars, DuckDB or a spreadsheet. CSV and Parquet flatten nested fields to dotted columns (grpo.loss).",
    )
    .argument("[run-dir]", "run directory (or use --nats and --run)")
    .option(
      "-w, --what <dataset>",
      `${exportDatasets.join(" | ")}`,
      choice("--what", exportDatasets, isExportDataset),
      "metrics",
    )
    .option(
      "-f, --format <format>",
      `${exportFormats.join(" | ")}`,
      choice("--format", exportFormats, isExportFormat),
      "jsonl",
    )
    .option(
      "-o, --out <file>",
      "file to write (default: stdout for jsonl and csv, <run-dir>/<what>.parquet for parquet)",
    )
    .addOption(natsSourceOption())
    .addOption(runIdOption())
    .action(async (runDir: string | undefined, flags: ExportFlags) => {
      const written = await withRunSource(runDir, flags, { blobs: false }, async (source) => {
        const rows = await exportRows(readRunEvents(source.directory), flags.what);
        const bytes = encodeRows(rows, flags.format);
        if (flags.out === undefined && flags.format !== "parquet") {
          process.stdout.write(bytes);
          return null;
        }
        const out = resolve(flags.out ?? join(source.outputDirectory, `${flags.what}.parquet`));
        await writeFile(out, bytes);
        return `${rows.length} ${flags.what} rows written to ${out} (${(bytes.length / 1024).toFixed(0)} KiB)`;
      });
      if (written !== null) process.stderr.write(`${written}\n`);
    });
}
