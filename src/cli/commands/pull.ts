import { resolve } from "node:path";
import type { Command } from "commander";
import { pullRun } from "../../app/index.ts";

interface PullFlags {
  readonly nats: string;
  readonly run: string;
  readonly out?: string;
  readonly blobs: boolean;
}

export function registerPullCommand(program: Command): void {
  program
    .command("pull")
    .description(
      "Copy a run stored in NATS JetStream (by `mmzero run --nats` or a daemon on NATS) into a run directory: its events into a file log with the same chain head, and the blobs they name (renders, checkpoints). Every command then reads it like a file run; log, replay, rescore, report, export and eval --solver also take --nats/--run directly.",
    )
    .requiredOption("--nats <url>", "NATS server URL")
    .requiredOption("--run <id>", "run id")
    .option("-o, --out <dir>", "run directory to write (default: runs/<run id>); must hold no log yet")
    .option("--no-blobs", "copy the events only")
    .action(async (flags: PullFlags) => {
      const outDir = resolve(flags.out ?? `runs/${flags.run}`);
      const pulled = await pullRun({ natsUrl: flags.nats, runId: flags.run, outDir, blobs: flags.blobs });
      process.stdout.write(
        `pulled run ${flags.run} into ${outDir}: ${pulled.events} events (chain head ${pulled.chainHead.slice(0, 16)}), ${pulled.blobs} blobs\n`,
      );
    });
}
