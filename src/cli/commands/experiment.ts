// `mmzero experiment`: configurations x seeds, every iteration's Solver evaluated on the public
// benchmark, paired deltas with 95% intervals and the oracle's role figures (docs/experiment.md).

import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { MultiBar, Presets } from "cli-progress";
import type { Command } from "commander";
import { runPresetNames } from "../../config/index.ts";
import {
  experimentPageHtml,
  formatExperimentText,
  parseSeeds,
  planExperiment,
  runExperiment,
} from "../../experiment/index.ts";
import { benchmarkProfiles } from "../../world/index.ts";
import { benchmarkFileHelp, samplingTemperature, wholeNumber } from "../option-parsers.ts";
import { systemClock } from "../ui/progress.ts";

interface ExperimentFlags {
  readonly preset: string;
  readonly config: string[];
  readonly name: string[];
  readonly seeds: string;
  readonly samples: number;
  readonly parallel: number;
  readonly limit: number;
  readonly out?: string;
  readonly bench: string;
  readonly temperature?: number;
  readonly evalSeed: string;
  readonly json?: boolean;
}

function collect(value: string, previous: readonly string[]): string[] {
  return [...previous, value];
}

async function experimentCommand(flags: ExperimentFlags): Promise<void> {
  const outDir = resolve(flags.out ?? join("experiments", flags.preset));
  const plan = await planExperiment({
    preset: flags.preset,
    configPaths: flags.config,
    names: flags.name,
    seeds: parseSeeds(flags.seeds),
    outDir,
  });
  await mkdir(outDir, { recursive: true });
  // On a terminal the bars redraw in place; elsewhere (logs, CI) they print every 30 s.
  const bars = new MultiBar(
    {
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
      noTTYOutput: true,
      notTTYSchedule: 30_000,
    },
    Presets.shades_classic,
  );
  const say = (line: string) =>
    process.stderr.isTTY ? bars.log(`${line}\n`) : process.stderr.write(`${line}\n`);
  const runBar = bars.create(
    plan.runs.length,
    0,
    { unit: "" },
    {
      format: "runs        [{bar}] {value}/{total} | ETA {eta_formatted} | {unit}",
    },
  );
  let runsDone = 0;
  let evaluationBar: ReturnType<MultiBar["create"]> | null = null;
  try {
    const result = await runExperiment({
      plan,
      outDir,
      benchmarkPath: flags.bench,
      limit: flags.limit,
      samples: flags.samples,
      temperature: flags.temperature ?? null,
      evaluationSeed: flags.evalSeed,
      parallel: Math.max(1, flags.parallel),
      clock: systemClock,
      runEvents: {
        started: (run, state) =>
          say(
            `mmzero experiment: ${run.configuration} seed ${run.seed} (${run.runId}): ${state === "completed" ? "reusing the finished run" : state === "partial" ? "resuming" : "running"}`,
          ),
        finished: () => {
          runsDone += 1;
          runBar.update(runsDone);
        },
        unit: (run, description) =>
          runBar.update({ unit: `${run.configuration} s${run.seed}: ${description}` }),
      },
      onEvaluationsPlanned: (evaluations, rows) => {
        say(
          `mmzero experiment: ${evaluations} evaluation${evaluations === 1 ? "" : "s"} to do (${rows} generations; the rest are cached)`,
        );
        evaluationBar = bars.create(
          rows,
          0,
          {},
          {
            format: "evaluations [{bar}] {value}/{total} generations | ETA {eta_formatted}",
          },
        );
      },
      onEvaluationRows: (rows) => evaluationBar?.update(rows),
    });
    bars.stop();
    const jsonPath = join(outDir, "experiment.json");
    const htmlPath = join(outDir, "experiment.html");
    await writeFile(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
    await writeFile(htmlPath, await experimentPageHtml(result));
    process.stdout.write(
      flags.json === true ? `${JSON.stringify(result, null, 2)}\n` : formatExperimentText(result),
    );
    process.stderr.write(`mmzero experiment: wrote ${jsonPath} and ${htmlPath}\n`);
  } finally {
    // Also on failure, to restore the cursor.
    bars.stop();
  }
}

export function registerExperimentCommand(program: Command): void {
  program
    .command("experiment")
    .description(
      "Run configurations x seeds (finished runs are reused), evaluate every iteration's Solver on the public benchmark (greedy and majority-of-k), and print and write paired deltas with 95% intervals plus the oracle's role figures (experiment.json, experiment.html).",
    )
    .option("-p, --preset <name>", `preset of every configuration (${runPresetNames.join(", ")})`, "quick")
    .option(
      "-c, --config <file>",
      "a configuration's config file laid over the preset (repeat for more)",
      collect,
      [],
    )
    .option(
      "--name <name>",
      "a configuration's name, one per --config in order (default: the file names)",
      collect,
      [],
    )
    .option("-s, --seeds <list>", "comma-separated run seeds", "1,2,3")
    .option(
      "-k, --samples <k>",
      "answers sampled per item for the majority vote (0: greedy only)",
      wholeNumber,
      8,
    )
    .option(
      "--temperature <t>",
      "temperature of the sampled answers (default: the runs' judge Solver temperature)",
      samplingTemperature,
    )
    .option(
      "--parallel <n>",
      "runs and evaluations at once, as child processes (1: one at a time in this process)",
      wholeNumber,
      1,
    )
    .option(
      "--limit <n>",
      "evaluate n benchmark items evenly spaced through the file (0: all)",
      wholeNumber,
      0,
    )
    .option("--bench <file>", benchmarkFileHelp, benchmarkProfiles.public.path)
    .option("--eval-seed <seed>", "key of the sampled answers (the same for every checkpoint)", "mmzero-eval")
    .option(
      "-o, --out <dir>",
      "experiment directory: runs, cached evaluations, experiment.json (default experiments/<preset>)",
    )
    .option("--json", "print experiment.json instead of the tables")
    .action(async (flags: ExperimentFlags) => {
      await experimentCommand(flags);
    });
}
