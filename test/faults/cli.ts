// The mmzero CLI as a child process for the fault suite: run to its end (exit code and output kept),
// or started and left running so a test can kill it.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cp } from "node:fs/promises";
import { join } from "node:path";
import { readFileLogReadOnly } from "../../src/store/index.ts";

const cli = join(import.meta.dirname, "../../bin/mmzero.js");

export interface CliResult {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunningCli {
  readonly child: ChildProcess;
  readonly done: Promise<CliResult>;
}

export function startCli(args: readonly string[]): RunningCli {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => (stdout += chunk));
  child.stderr?.on("data", (chunk) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/** Runs `mmzero <args>` to its end. */
export function runCli(args: readonly string[]): Promise<CliResult> {
  return startCli(args).done;
}

/** The committed smoke run (test/fixtures/runs/smoke-v1) copied to `directory`, to damage. */
export async function copyFixtureRun(directory: string): Promise<string> {
  await cp(join(import.meta.dirname, "../fixtures/runs/smoke-v1"), directory, { recursive: true });
  return directory;
}

/** The number of events a run directory's log holds now (read-only; 0 before it has a log). */
export async function eventCount(runDirectory: string): Promise<number> {
  const events = join(runDirectory, "events");
  if (!existsSync(events)) return 0;
  let count = 0;
  for await (const _ of readFileLogReadOnly(events)) count += 1;
  return count;
}
