// A real nats-server for integration tests: a free loopback port, JetStream on (with fsync before
// every acknowledgement where the server offers it), a temporary store directory, stopped with
// SIGTERM (exit code 1 is normal for 2.9.10) and removed afterwards.
// A missing binary is an error with an install hint, never a silent skip (under CI=true as well).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { syncAlwaysVersionMin } from "../../src/app/nats-durability.ts";
import { isVersionAtLeast } from "../../src/store/jetstream/index.ts";

/** Why: the server is ready in ~25 ms here; a slow, loaded CI machine still needs far less than this. */
export const natsServerReadyTimeoutMs = 10_000;
/** Why: SIGTERM normally ends it in milliseconds; after this the harness sends SIGKILL. */
export const natsServerStopTimeoutMs = 5_000;
/** Why: Debian installs the binary in /usr/sbin, which a non-root PATH often lacks. */
const extraBinaryDirectories = ["/usr/sbin", "/usr/local/sbin", "/usr/local/bin"];

export class NatsServerMissingError extends Error {
  override readonly name = "NatsServerMissingError";
  constructor(readonly searched: readonly string[]) {
    const ci = process.env.CI === "true" ? "CI=true requires it for the NATS integration tests; " : "";
    super(
      `nats-server was not found (searched ${searched.join(", ")}); ${ci}` +
        "install it with `apt-get install nats-server` (or set NATS_SERVER_BIN to its path)",
    );
  }
}

export class NatsServerStartError extends Error {
  override readonly name = "NatsServerStartError";
  constructor(
    readonly reason: string,
    readonly output: string,
  ) {
    super(`nats-server did not start: ${reason}; its output ended with:\n${output.slice(-2000)}`);
  }
}

export interface NatsServerOptions {
  /** JetStream store directory; kept on stop when given. @default a new temporary directory, removed on stop */
  readonly storeDir?: string;
  /** Client port. @default -1 (the server picks a free one) */
  readonly port?: number;
}

export interface NatsServer extends AsyncDisposable {
  readonly url: string;
  readonly port: number;
  readonly storeDir: string;
  /** The running server's process id (changes on restart), for faults such as SIGSTOP. */
  readonly pid: number | undefined;
  /** SIGTERM, wait for exit, remove the temporary store directory. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL (a crash): the store directory stays for restart(). */
  kill(): Promise<void>;
  /** Starts the server again on the same port and store directory (stopping it first if running). */
  restart(): Promise<void>;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The nats-server binary: NATS_SERVER_BIN, else the PATH, else the usual system directories. */
export function findNatsServerBinary(): string {
  const explicit = process.env.NATS_SERVER_BIN;
  if (explicit !== undefined && explicit !== "") {
    if (isExecutable(explicit)) return explicit;
    throw new NatsServerMissingError([explicit]);
  }
  const directories = [
    ...(process.env.PATH ?? "").split(delimiter).filter(Boolean),
    ...extraBinaryDirectories,
  ];
  const candidates = directories.map((directory) => join(directory, "nats-server"));
  const found = candidates.find(isExecutable);
  if (found === undefined) throw new NatsServerMissingError(candidates);
  return found;
}

/** Every server this process started and has not stopped: killed on exit so a failed test leaks none. */
const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

interface Spawned {
  readonly child: ChildProcess;
  readonly port: number;
}

/**
 * The strongest durability the binary offers: from 2.10, `sync_interval: always` (fsync before every
 * acknowledgement) through a config file; 2.9 has no such setting (see README, "Durability on NATS").
 */
function durabilityArguments(binary: string, storeDir: string): string[] {
  const version = /v?(\d+\.\d+\.\d+)/.exec(
    spawnSync(binary, ["--version"], { encoding: "utf8" }).stdout,
  )?.[1];
  if (version === undefined || !isVersionAtLeast(version, syncAlwaysVersionMin)) return [];
  const configPath = `${storeDir}.conf`;
  writeFileSync(configPath, "jetstream { sync_interval: always }\n");
  return ["-c", configPath];
}

function spawnServer(binary: string, port: number, storeDir: string): Promise<Spawned> {
  const args = [
    ...durabilityArguments(binary, storeDir),
    ...["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", storeDir],
  ];
  const child = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"] });
  running.add(child);
  child.once("exit", () => running.delete(child));
  return new Promise<Spawned>((resolve, reject) => {
    let output = "";
    let listeningPort: number | undefined;
    const fail = (reason: string) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new NatsServerStartError(reason, output));
    };
    const timer = setTimeout(
      () => fail(`not ready within ${natsServerReadyTimeoutMs} ms`),
      natsServerReadyTimeoutMs,
    );
    child.once("error", (error) => fail(error.message));
    child.once("exit", (code, signal) => fail(`exited early (code ${code}, signal ${signal})`));
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      output += chunk;
      const match = /Listening for client connections on [\d.]+:(\d+)/.exec(output);
      if (match?.[1] !== undefined) listeningPort = Number(match[1]);
      if (listeningPort !== undefined && output.includes("Server is ready")) {
        clearTimeout(timer);
        child.removeAllListeners("exit");
        child.once("exit", () => running.delete(child));
        // Keep draining stderr so a chatty server never blocks on a full pipe.
        child.stderr?.removeAllListeners("data");
        child.stderr?.resume();
        resolve({ child, port: listeningPort });
      }
    });
  });
}

function waitForExit(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), natsServerStopTimeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** Starts `nats-server -a 127.0.0.1 -p <port|-1> -js -sd <dir>` and waits for "Server is ready". */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  const binary = findNatsServerBinary();
  const ownsStoreDir = options.storeDir === undefined;
  const storeDir = options.storeDir ?? mkdtempSync(join(tmpdir(), "mmzero-nats-"));
  let current: Spawned;
  try {
    current = await spawnServer(binary, options.port ?? -1, storeDir);
  } catch (error) {
    if (ownsStoreDir) rmSync(storeDir, { recursive: true, force: true });
    throw error;
  }
  const port = current.port;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await waitForExit(current.child, "SIGTERM");
    rmSync(`${storeDir}.conf`, { force: true });
    if (ownsStoreDir) rmSync(storeDir, { recursive: true, force: true });
  };
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    get pid() {
      return current.child.pid;
    },
    stop,
    kill: () => waitForExit(current.child, "SIGKILL"),
    async restart() {
      if (stopped) throw new Error("nats-server test harness: restart() after stop(); the store is gone");
      await waitForExit(current.child, "SIGTERM");
      current = await spawnServer(binary, port, storeDir);
    },
    [Symbol.asyncDispose]: stop,
  };
}
