import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { gallerySamplesMaxDefault, renderReport } from "../../report/index.ts";
import { natsSourceOption, type RunSourceFlags, runIdOption, withRunSource } from "../run-source.ts";

interface ReportFlags extends RunSourceFlags {
  readonly out?: string;
  readonly samples: string;
}

export function registerReportCommand(program: Command): void {
  program
    .command("report")
    .description(
      "Write a self-contained HTML report of a run: learning curves per role, benchmark accuracy with intervals, funnels, oracle analysis and a gallery of rendered samples. Works offline; safe to run while the run is still going.",
    )
    .argument("[run-dir]", "run directory (holds events/ and blobs/; or use --nats and --run)")
    .option(
      "-o, --out <file>",
      "where to write the page (default: <run-dir>/report.html; with --nats, <run id>.report.html here)",
    )
    .option("--samples <count>", "most gallery samples to embed", String(gallerySamplesMaxDefault))
    .addOption(natsSourceOption())
    .addOption(runIdOption())
    .action(async (runDir: string | undefined, flags: ReportFlags) => {
      const gallerySamplesMax = Number(flags.samples);
      if (!Number.isInteger(gallerySamplesMax) || gallerySamplesMax < 0)
        throw new Error(`--samples must be a whole number, got "${flags.samples}"`);
      const html = await withRunSource(runDir, flags, { blobs: true }, (source) =>
        renderReport(source.directory, { gallerySamplesMax }),
      );
      const out = resolve(
        flags.out ?? (runDir === undefined ? `${flags.run}.report.html` : join(runDir, "report.html")),
      );
      await writeFile(out, html);
      process.stdout.write(`report written to ${out} (${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB)\n`);
    });
}
