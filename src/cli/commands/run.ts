import { join, resolve } from "node:path";
import type { Command } from "commander";
import { runIdOf, scheduleOf } from "../../actors/runtime.ts";
import { parseWorkerRoles, workerRoles } from "../../actors/wiring.ts";
import { inspectRunDirectory, removeRunOutputs } from "../../app/existing-run.ts";
import { runSession } from "../../app/run-session.ts";
import { readConfigFile } from "../../config/config-file.ts";
import { resolveRunConfig } from "../../config/presets.ts";
import type { RunConfig } from "../../config/run-config.ts";
import { runPresetNames } from "../../config/run-config.ts";
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
  readonly force?: boolean;
}

/**
 * A new run's directory must not hold a run already: the run id is a hash of the configuration, so
 * running the same configuration again lands in the same runs/<run id>. Refused with the ways
 * forward; --force replaces it, but only a run of this very configuration.
 */
export async function prepareRunDirectory(outDir: string, config: RunConfig, force: boolean): Promise<void> {
  const runId = runIdOf(config);
  const existing = await inspectRunDirectory(outDir, runId);
  if (existing.kind === "none") return;
  if (existing.kind === "other")
    throw new Error(
      `${outDir} holds run ${existing.runId}, not a run of this configuration (${runId}): choose another --out${force ? " (--force replaces only a run of the same configuration)" : ""}`,
    );
  const state = `${existing.events} events, ${existing.finished ? "finished" : "unfinished"}`;
  if (!force)
    throw new Error(
      `${outDir} already holds run ${runId} of this same configuration (${state}); a run's id and default directory are a hash of its configuration, so a repeated run lands there. Continue it with --resume ${outDir}, replace it with --force, or change --seed (or --out) for a new run.`,
    );
  process.stderr.write(`mmzero: --force: replacing run ${runId} in ${outDir} (${state})\n`);
  await removeRunOutputs(outDir);
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
    .option("-c, --config <file>", "JSON or YAML file of config fields laid over the preset")
    .option("--resume <dir>", "continue an interrupted run from its log (same config)")
    .option("--force", "replace the run already in the directory (only a run of this same configuration)")
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
        flags.config === undefined ? undefined : await readConfigFile(flags.config),
        flags.seed === undefined ? undefined : { seed: flags.seed },
      ];
      const config = resolveRunConfig(flags.preset, ...overrides);
      if (flags.resume !== undefined && flags.force === true)
        throw new Error("--resume continues a run and --force replaces it: pick one");
      const outDir = resolve(flags.resume ?? flags.out ?? join("runs", runIdOf(config)));
      if (flags.resume === undefined && flags.nats === undefined)
        await prepareRunDirectory(outDir, config, flags.force === true);
      process.stderr.write(`mmzero: run ${runIdOf(config)} in ${outDir}\n`);
      const progress = createConsoleProgress(scheduleOf(config));
      const session = runSession({
        config,
        outDir,
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
      // The bar goes before anything else is printed, also when the run throws.
      const result = await session.finally(() => progress.stop());
      await printRunSummary(result, progress.elapsedMs());
      if (result.status !== "completed") process.exitCode = 1;
    });
}
