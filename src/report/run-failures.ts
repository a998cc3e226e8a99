/**
 * Failures a run met that are in no event: recoverable faults (a full disk, a timeout, an unreachable
 * server) leave the log as a crash leaves it, so that a resume ends with a fault-free run's content
 * hashes (docs/architecture.md). Their record is the run's structured log, `run.log`, whose
 * `kind: "failure"` lines the report reads back so that they stay visible.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";

/** The run's structured log (JSON lines) inside its run directory; written by src/app's run logger. */
export const runLogFileName = "run.log";

export interface RunLogFailure {
  readonly name: string;
  readonly message: string;
  readonly recoverable: boolean;
  /** Milliseconds since the epoch, as pino writes `time`. */
  readonly time: number | null;
}

export interface RunLogFailures {
  readonly failures: readonly RunLogFailure[];
  /** Lines that are not JSON (a line cut by a crash mid-write); counted, never guessed at. */
  readonly unreadableLines: number;
}

function failureOf(line: unknown): RunLogFailure | null {
  if (typeof line !== "object" || line === null) return null;
  const record = line as Record<string, unknown>;
  if (record.kind !== "failure") return null;
  return {
    name: typeof record.name === "string" ? record.name : "Error",
    message: typeof record.message === "string" ? record.message : String(record.msg ?? ""),
    recoverable: record.recoverable === true,
    time: typeof record.time === "number" ? record.time : null,
  };
}

/** The failure lines of a run.log's text. */
export function parseRunLogFailures(text: string): RunLogFailures {
  const failures: RunLogFailure[] = [];
  let unreadableLines = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      unreadableLines += 1;
      continue;
    }
    const failure = failureOf(parsed);
    if (failure !== null) failures.push(failure);
  }
  return { failures, unreadableLines };
}

/** The failures recorded in `<run>/run.log`; none when the run has no run.log (a JetStream pull). */
export async function readRunLogFailures(runDirectory: string): Promise<RunLogFailures> {
  let text: string;
  try {
    text = await readFile(join(runDirectory, runLogFileName), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { failures: [], unreadableLines: 0 };
    throw error;
  }
  return parseRunLogFailures(text);
}
