import { setTimeout as sleep } from "node:timers/promises";
import type { Command } from "commander";
import { isRunPresetName, readConfigFile, runPresetNames } from "../../config/index.ts";
import {
  type DaemonAddress,
  daemonUrlDefault,
  fetchRunStatus,
  readAuthToken,
  submitRun,
} from "../../daemon/index.ts";

interface SubmitFlags {
  readonly daemon: string;
  readonly preset?: string;
  readonly seed?: string;
  readonly wait?: boolean;
  readonly authTokenFile?: string;
}

/** Why: a smoke run takes seconds, a full one hours; once a second is responsive and costs nothing. */
const waitPollMs = 1000;

/** A preset name, or a JSON file of config fields (its own "preset" field names the preset unless --preset does). */
async function submissionOf(
  target: string,
  flags: SubmitFlags,
): Promise<{ preset: string; config?: unknown }> {
  const seed = flags.seed === undefined ? {} : { seed: flags.seed };
  if (isRunPresetName(target)) return { preset: flags.preset ?? target, config: seed };
  let config: Record<string, unknown>;
  try {
    config = await readConfigFile(target);
  } catch (error) {
    throw new Error(
      `"${target}" is neither a preset (${runPresetNames.join(", ")}) nor a readable config file: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const filePreset = typeof config.preset === "string" ? config.preset : undefined;
  if (flags.preset !== undefined && filePreset !== undefined && flags.preset !== filePreset)
    throw new Error(`${target} names preset "${filePreset}" but --preset says "${flags.preset}": keep one`);
  const preset = flags.preset ?? filePreset ?? "quick";
  return { preset, config: { ...config, ...seed } };
}

async function waitForEnd(daemon: DaemonAddress, runId: string): Promise<boolean> {
  let shown = "";
  for (;;) {
    const status = await fetchRunStatus(daemon, runId);
    const line = `${status.status}${status.currentUnit === null ? "" : `: ${status.currentUnit}`} (${status.events} events)`;
    if (line !== shown) process.stderr.write(`run ${runId}: ${line}\n`);
    shown = line;
    if (status.status === "completed") return true;
    if (status.status === "failed" || status.status === "stopped" || status.status === "cancelled") {
      if (status.failure !== null)
        process.stderr.write(`  ${status.failure.name}: ${status.failure.message}\n`);
      return false;
    }
    await sleep(waitPollMs);
  }
}

export function registerSubmitCommand(program: Command): void {
  program
    .command("submit")
    .description(
      "Submit a run to a running `mmzero daemon`: a preset name or a JSON file of config fields (paths in it are read by the daemon, relative to its working directory, and must lie in its --read-dir directories). Submitting the same config again returns the same run id.",
    )
    .argument("<config>", `a preset (${runPresetNames.join(", ")}) or a JSON or YAML config file`)
    .option("--daemon <url>", "the daemon's HTTP address", daemonUrlDefault)
    .option(
      "-p, --preset <name>",
      "preset under a config file's fields (default: the file's \"preset\", else quick)",
    )
    .option("-s, --seed <seed>", "run seed")
    .option("--wait", "follow the run until it ends; exit 1 unless it completes")
    .option("--auth-token-file <file>", "file holding the daemon's bearer token (its --auth-token-file)")
    .action(async (target: string, flags: SubmitFlags) => {
      const daemon: DaemonAddress = {
        url: flags.daemon,
        ...(flags.authTokenFile === undefined ? {} : { token: await readAuthToken(flags.authTokenFile) }),
      };
      const reply = await submitRun(daemon, await submissionOf(target, flags));
      process.stdout.write(
        `${reply.runId}\n${reply.created ? "accepted" : "already known"}: ${reply.status} (${new URL(reply.statusUrl, flags.daemon).href})\n`,
      );
      if (flags.wait === true && !(await waitForEnd(daemon, reply.runId))) process.exitCode = 1;
    });
}
