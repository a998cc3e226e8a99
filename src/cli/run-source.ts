// Where a command's run comes from: a run directory, or a run stored in NATS JetStream
// (`--nats <url> --run <id>`), pulled into a temporary run directory that is removed afterwards,
// so every command reads both the same way (src/app/pull-run.ts).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Option } from "commander";

export interface RunSourceFlags {
  readonly nats?: string;
  readonly run?: string;
}

export interface RunSource {
  /** The run directory to read (events/, blobs/). */
  readonly directory: string;
  /** Where outputs go by default: the run directory, or the working directory for a pulled run. */
  readonly outputDirectory: string;
  /** The run directory or `<run id> on <url>`, for messages. */
  readonly label: string;
}

/** `--nats <url>`, for a command that reads a run (`.addOption(natsSourceOption())`). */
export function natsSourceOption(): Option {
  return new Option(
    "--nats <url>",
    "read the run from this NATS server's JetStream instead of a directory (with --run)",
  );
}

/** `--run <id>`, the run on the --nats server. */
export function runIdOption(): Option {
  return new Option("--run <id>", "with --nats: the run id");
}

/**
 * Calls `use` with the run's directory. With --nats/--run the run is pulled first (events, and the
 * blobs when `blobs` is set) into a temporary directory, removed when `use` settles.
 */
export async function withRunSource<T>(
  runDirectory: string | undefined,
  flags: RunSourceFlags,
  options: { readonly blobs: boolean },
  use: (source: RunSource) => Promise<T>,
): Promise<T> {
  if (flags.nats === undefined && flags.run === undefined) {
    if (runDirectory === undefined) throw new Error("give a run directory, or --nats <url> --run <id>");
    return use({ directory: runDirectory, outputDirectory: runDirectory, label: runDirectory });
  }
  if (flags.nats === undefined || flags.run === undefined)
    throw new Error("--nats and --run go together: the server and the run id on it");
  if (runDirectory !== undefined)
    throw new Error(`give a run directory (${runDirectory}) or --nats/--run, not both`);
  const { pullRun } = await import("../app/pull-run.ts");
  const directory = await mkdtemp(join(tmpdir(), "mmzero-pull-"));
  try {
    await pullRun({ natsUrl: flags.nats, runId: flags.run, outDir: directory, blobs: options.blobs });
    return await use({ directory, outputDirectory: process.cwd(), label: `${flags.run} on ${flags.nats}` });
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
