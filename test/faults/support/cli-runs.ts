// Real `mmzero` processes for the broker, worker and process fault tests: spawning the CLI, reading a
// run's content hashes (file log through the read-only reader, JetStream through the adapter),
// waiting on a condition with a generous deadline, and a smoke workspace with its fault-free
// reference hashes, measured once per file by an embedded run.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { runIdOf } from "../../../src/actors/runtime.ts";
import { resolveRunConfig } from "../../../src/config/presets.ts";
import { readFileLogReadOnly } from "../../../src/store/index.ts";
import { connectNats, openJetStreamLog } from "../../../src/store/jetstream/index.ts";
import { smokeOverrides, writeTestBase } from "../../support/loop-fixture.ts";
import { makeTempDir, type TempDir } from "../../support/temp-dir.ts";

const cli = join(import.meta.dirname, "../../../bin/mmzero.js");
/** Why: a smoke run takes seconds; a loaded 2-core machine is given far more before a wait fails. */
export const faultWaitMs = 300_000;

export interface CliProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
  output(): string;
}

/** `mmzero <args>`; `detached` puts it in its own process group (to signal the group, as a terminal does). */
export function spawnCli(args: readonly string[], options: { readonly detached?: boolean } = {}): CliProcess {
  const child = spawn(process.execPath, [cli, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.detached ?? false,
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>(
    (resolve) => child.on("exit", (code, signal) => resolve({ code, signal, output })),
  );
  return { child, exited, output: () => output };
}

/** The content hashes of a file-log run directory, in order ([] before the log exists). */
/** `mmzero run`'s exit code for a recoverable fault (sysexits' EX_TEMPFAIL; src/cli/commands/run.ts). */
export const recoverableExitCode = 75;

/**
 * A run that met a recoverable fault either rode it out (exit 0) or stopped with exit 75 and nothing
 * recorded; then one `--resume` (`resumeArgs`) must complete it.
 */
export async function completeOrResume(
  first: Awaited<CliProcess["exited"]>,
  resumeArgs: readonly string[],
): Promise<void> {
  assert.ok(first.code === 0 || first.code === recoverableExitCode, first.output);
  if (first.code !== recoverableExitCode) return;
  const resumed = await spawnCli(resumeArgs).exited;
  assert.equal(resumed.code, 0, resumed.output);
}

export async function fileLogHashes(runDirectory: string): Promise<string[]> {
  const hashes: string[] = [];
  try {
    for await (const recorded of readFileLogReadOnly(join(runDirectory, "events")))
      hashes.push(recorded.contentHash);
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return [];
    throw error;
  }
  return hashes;
}

/** A run's JetStream log as (type, content hash) pairs, in order. */
export async function jetStreamRecords(
  url: string,
  runId: string,
): Promise<{ readonly type: string; readonly contentHash: string }[]> {
  // Why a long connect timeout: at a load of 40 on 2 cores a loopback connect has taken over 2 s.
  await using connection = await connectNats(url, { connectTimeoutMs: 60_000 });
  const log = await openJetStreamLog(connection, runId);
  const records: { type: string; contentHash: string }[] = [];
  for await (const recorded of log.read())
    records.push({ type: recorded.event.type, contentHash: recorded.contentHash });
  await log.close();
  return records;
}

/** The content hashes of a run's JetStream log, in order ([] while the server is unreachable). */
export async function jetStreamHashes(url: string, runId: string): Promise<string[]> {
  return (await jetStreamRecords(url, runId)).map((record) => record.contentHash);
}

/** `mmzero worker --roles <roles> --nats <url>`, resolved once it says it is serving. */
export async function startCliWorker(url: string, roles: string): Promise<CliProcess> {
  const worker = spawnCli(["worker", "--roles", roles, "--nats", url]);
  await waitFor(async () => {
    assert.equal(worker.child.exitCode, null, `the worker exited: ${worker.output()}`);
    return worker.output().includes("serving");
  }, `the ${roles} worker to start`);
  return worker;
}

/** Stops a CLI process: SIGCONT first (it may be stopped), then SIGTERM, and waits for its exit. */
export async function endCli(process: CliProcess): Promise<void> {
  if (process.child.exitCode === null && process.child.signalCode === null) {
    process.child.kill("SIGCONT");
    process.child.kill("SIGTERM");
  }
  await process.exited;
}

/** Polls `condition` until it holds; fails naming `what` after faultWaitMs. */
export async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = performance.now() + faultWaitMs;
  while (!(await condition())) {
    assert.ok(performance.now() < deadline, `timed out waiting for ${what}`);
    await sleep(100);
  }
}

export interface SmokeWorkspace extends AsyncDisposable {
  readonly path: string;
  readonly configPath: string;
  readonly runId: string;
  /** A fault-free embedded run's content hashes. */
  readonly reference: readonly string[];
  /** `mmzero run` arguments for the smoke config, then `extra`. */
  runArgs(...extra: string[]): string[];
}

/** A temporary directory with a keyed test base, the smoke config, and its reference hashes. */
export async function smokeWorkspace(label: string): Promise<SmokeWorkspace> {
  const workspace: TempDir = await makeTempDir(label);
  const checkpoint = await writeTestBase(workspace.path);
  const overrides = smokeOverrides(checkpoint);
  const configPath = join(workspace.path, "config.json");
  await writeFile(configPath, JSON.stringify(overrides));
  const runArgs = (...extra: string[]) => ["run", "--preset", "smoke", "--config", configPath, ...extra];
  const referenceDirectory = join(workspace.path, "reference");
  const run = await spawnCli(runArgs("--out", referenceDirectory)).exited;
  assert.equal(run.code, 0, run.output);
  return {
    path: workspace.path,
    configPath,
    runId: runIdOf(resolveRunConfig("smoke", overrides)),
    reference: await fileLogHashes(referenceDirectory),
    runArgs,
    [Symbol.asyncDispose]: () => workspace[Symbol.asyncDispose](),
  };
}
