import { join, resolve } from "node:path";
import type { Command } from "commander";
import { parseWorkerRoles, runIdOf, scheduleOf, workerRoles } from "../../actors/index.ts";
import { inspectRunDirectory, removeRunOutputs, runSession } from "../../app/index.ts";
import { type RunConfig, readConfigFile, resolveRunConfig, runPresetNames } from "../../config/index.ts";
import { describeNotice } from "../../store/index.ts";
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

/** The command line that continues this run from its log (same config; --out becomes --resume). */
function resumeCommandLine(flags: RunFlags, outDir: string): string {
  const quote = (text: string) =>
    /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
  const parts = ["mmzero", "run", "--preset", flags.preset];
  if (flags.config !== undefined) parts.push("--config", flags.config);
  if (flags.seed !== undefined) parts.push("--seed", flags.seed);
  if (flags.nats !== undefined) parts.push("--nats", flags.nats);
  if (flags.localRoles !== undefined) parts.push("--local-roles", flags.localRoles);
  if (flags.requestTimeoutMs !== undefined) parts.push("--request-timeout-ms", flags.requestTimeoutMs);
  parts.push("--resume", outDir);
  return parts.map(quote).join(" ");
}

/** sysexits' EX_TEMPFAIL: the run failed on a fault of its environment; resuming it can succeed. */
const recoverableFailureExitCode = 75;

const signalNumbers = { SIGINT: 2, SIGTERM: 15 } as const;
type StopSignalName = keyof typeof signalNumbers;

/**
 * The first SIGTERM or SIGINT asks the run to stop after its current unit (the daemon's drain, for
 * one run): the log closes, writer.lock is released. A second one exits at once; the log is still
 * resumable (the cut unit is re-executed), only the lock stays behind as a stale lock.
 */
function stopOnSignals(): {
  readonly signal: AbortSignal;
  received(): StopSignalName | undefined;
  dispose(): void;
} {
  const controller = new AbortController();
  let received: StopSignalName | undefined;
  const handlers = (Object.keys(signalNumbers) as StopSignalName[]).map((name) => {
    const handler = () => {
      if (received !== undefined) {
        process.stderr.write(`mmzero: ${name} again: exiting now; the run resumes from its log\n`);
        process.exit(128 + signalNumbers[name]);
      }
      received = name;
      process.stderr.write(
        `mmzero: ${name}: stopping after the current unit (send it again to exit at once)\n`,
      );
      controller.abort();
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  return {
    signal: controller.signal,
    received: () => received,
    dispose() {
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
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
      const stopping = stopOnSignals();
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
        stopSignal: stopping.signal,
        onWarning: (warning) => process.stderr.write(`mmzero: warning: ${warning}\n`),
        onLogNotice: (notice) => process.stderr.write(`mmzero: ${describeNotice(notice)}\n`),
        onBackend: (backend) =>
          process.stderr.write(
            `mmzero: backend ${backend.info.name} ${backend.info.version} (${backend.reason})\n`,
          ),
      }).finally(() => stopping.dispose());
      // The bar goes before anything else is printed, also when the run throws.
      const result = await session.finally(() => progress.stop());
      await printRunSummary(result, progress.elapsedMs());
      const signal = stopping.received();
      if (result.status === "stopped" && signal !== undefined) {
        process.stdout.write(
          `stopped on ${signal}; continue with:\n  ${resumeCommandLine(flags, result.outDir)}\n`,
        );
        process.exitCode = 128 + signalNumbers[signal];
      } else if (result.failure?.recoverable === true) {
        process.stdout.write(
          `a recoverable fault stopped the run (not recorded in its log); once it is fixed, continue with:\n  ${resumeCommandLine(flags, result.outDir)}\n`,
        );
        process.exitCode = recoverableFailureExitCode;
      } else if (result.status !== "completed") process.exitCode = 1;
    });
}
