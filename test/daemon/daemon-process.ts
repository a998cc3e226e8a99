// A real `mmzero daemon` child process for tests: started on a free port (--http-port 0, the URL
// read from its stdout), its JSON log lines kept, stopped with a signal and timed.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const cli = join(import.meta.dirname, "../../bin/mmzero.js");
/**
 * Why: loading the CLI through tsx and tfjs takes 2-4 s here; a shared machine at load 40 took over
 * 60 s; a deadline, not a measurement, so it is generous.
 */
export const daemonStartTimeoutMs = 180_000;

/**
 * The `--read-dir` flags for a daemon whose runs use a base checkpoint written in `workspace`
 * (writeTestBase) and the project's benchmark: the daemon reads submitted files only there.
 */
export function readDirFlags(workspace: string): string[] {
  return ["--read-dir", workspace, join(import.meta.dirname, "../../bench/data")];
}

export interface DaemonProcess extends AsyncDisposable {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the daemon wrote to stderr (its pino log lines) so far. */
  log(): string;
  /** Sends `signal` and resolves when the process exits, with how long that took. */
  stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: string | null; exitMs: number }>;
}

export async function startDaemon(args: readonly string[]): Promise<DaemonProcess> {
  const child = spawn(process.execPath, [cli, "daemon", "--http-port", "0", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the daemon did not print its URL within ${daemonStartTimeoutMs} ms:\n${stderr}`));
    }, daemonStartTimeoutMs);
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the daemon exited (code ${code}, signal ${signal}) before listening:\n${stderr}`));
    });
  });
  const stop = async (signal: NodeJS.Signals) => {
    const started = performance.now();
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const result = await exited;
    return { ...result, exitMs: performance.now() - started };
  };
  return {
    url,
    child,
    log: () => stderr,
    stop,
    async [Symbol.asyncDispose]() {
      await stop("SIGKILL");
    },
  };
}

/**
 * Why: the daemon answers from memory in milliseconds, but a GRPO step holds its event loop for
 * seconds, and on a shared machine at load 60 a request waited over 10 s. A deadline, not a measurement.
 */
const requestTimeoutMs = 120_000;

/** An HTTP exchange with the daemon: status, content type and body text. */
export async function request(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; contentType: string; text: string; json(): unknown }> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(requestTimeoutMs) });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get("content-type") ?? "",
    text,
    json: () => JSON.parse(text),
  };
}

export function postJson(url: string, body: unknown) {
  return request(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Polls `probe` every 20 ms until it returns a value; fails the test after `waitMs`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  waitMs = 90_000,
): Promise<T> {
  const deadline = performance.now() + waitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    assert.ok(performance.now() < deadline, `timed out waiting until ${what}`);
    await sleep(20);
  }
}
