import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { parseWorkerRoles, workerRoles } from "../../actors/index.ts";
import { runSession } from "../../app/index.ts";
import { resolveRunConfig, runPresetNames } from "../../config/index.ts";
import { createConsoleProgress, systemClock } from "../ui/progress.ts";
import { printRunSummary } from "../ui/summary.ts";

interface RunFlags {
  readonly preset: string;
  readonly out?: string;
  readonly seed?: string;
  readonly config?: string;
  readonly resume?: string;
  readonly nats?: string;
  readonly localRoles?: string;
  readonly requestTimeoutMs?: string;
}

async function configFile(path: string | undefined): Promise<unknown> {
  if (path === undefined) return undefined;
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new Error(
      `cannot read config file ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export function registerRunCommand(program: Command): void {
  program
    .command("run")
    .description(
      "Run MM-Zero self-evolution: Proposer, Coder and Solver phases per iteration, every sample recorded in the run's event log. Prints the base and final Solver accuracy on the public benchmark.",
    )
    .option("-p, --preset <name>", `size preset (${runPresetNames.join(", ")})`, "quick")
    .option("-o, --out <dir>", "run directory (default: runs/<run id>)")
    .option("-s, --seed <seed>", "run seed (every random draw is keyed by it)")
    .option("-c, --config <file>", "JSON file of config fields laid over the preset")
    .option("--resume <dir>", "continue an interrupted run from its log (same config)")
    .option("--nats <url>", "use a NATS server: JetStream log and blobs, work over NATS subjects")
    .option(
      "--local-roles <roles>",
      `actors this process hosts (comma-separated ${workerRoles.join(", ")}, or none); with --nats, mmzero worker processes serve the rest`,
    )
    .option(
      "--request-timeout-ms <ms>",
      "with --nats: wait this long for a work reply before asking another worker",
    )
    .action(async (flags: RunFlags) => {
      const overrides = [
        await configFile(flags.config),
        flags.seed === undefined ? undefined : { seed: flags.seed },
      ];
      const config = resolveRunConfig(flags.preset, ...overrides);
      const progress = createConsoleProgress();
      const result = await runSession({
        config,
        ...(flags.resume !== undefined
          ? { outDir: flags.resume }
          : flags.out !== undefined
            ? { outDir: flags.out }
            : {}),
        ...(flags.nats !== undefined ? { natsUrl: flags.nats } : {}),
        ...(flags.localRoles !== undefined
          ? { localRoles: parseWorkerRoles(flags.localRoles, { allowNone: true }) }
          : {}),
        ...(flags.requestTimeoutMs !== undefined ? { requestTimeoutMs: Number(flags.requestTimeoutMs) } : {}),
        resume: flags.resume !== undefined,
        progress,
        clock: systemClock,
        onBackend: (backend) =>
          process.stderr.write(
            `mmzero: backend ${backend.info.name} ${backend.info.version} (${backend.reason})\n`,
          ),
      });
      await printRunSummary(result, progress.elapsedMs());
      if (result.status !== "completed") process.exitCode = 1;
    });
}
