// One sandboxed render worker: a child process started through `sh -c "ulimit ...; exec node"` in
// an empty working directory, with no inherited environment, talking over an IPC channel. Threads
// would not do (notes/stack-measurements.md §3): resvg aborts the whole process on an oversized
// canvas and keeps rendering natively after an abort signal; only killing a process bounds it.
import { type ChildProcess, spawn } from "node:child_process";
import { Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { cleanUpOnExit } from "./exit-cleanup.ts";
import { decodeWorkerMessage, type RenderJob, type WorkerMessage } from "./worker-protocol.ts";

export const defaultWorkerModulePath = fileURLToPath(new URL("./worker.mjs", import.meta.url));

export interface WorkerProcessLimits {
  /** An empty directory: resvg resolves relative file references against it. */
  readonly workingDirectory: string;
  /** Hard virtual-memory limit (ulimit -v); node alone reserves ~870 MiB here. */
  readonly addressSpaceMiB: number;
  /** V8 old-space limit (--max-old-space-size). */
  readonly heapMiB: number;
  /** CPU-time backstop (ulimit -t) for a worker whose parent died mid-render. */
  readonly cpuSecondsMax: number;
  readonly workerModulePath: string;
}

export interface WorkerExit {
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** The end of stderr, or why the process could not be started or was stopped. */
  readonly detail: string;
}

export interface WorkerProcessHandlers {
  readonly onMessage: (message: WorkerMessage) => void;
  /** Called exactly once, after the process is gone and its stderr is read. */
  readonly onExit: (exit: WorkerExit) => void;
}

// Why: enough for Rust's "memory allocation of N bytes failed" or a Node stack, and bounded.
const stderrTailCharactersMax = 2048;

export class WorkerProcess {
  readonly #child: ChildProcess;
  #stderrTail = "";
  #problem = "";
  #gone = false;
  // Why: children of a parent that exits without closing its pool are killed on the way out.
  readonly #forgetExitCleanup = cleanUpOnExit(() => this.kill());
  /** Resolves once the process has exited (never rejects). */
  readonly exited: Promise<void>;

  constructor(limits: WorkerProcessLimits, handlers: WorkerProcessHandlers) {
    const script = `ulimit -c 0 && ulimit -v ${limits.addressSpaceMiB * 1024} && ulimit -t ${limits.cpuSecondsMax} && exec "$0" "$@"`;
    const nodeArguments = [`--max-old-space-size=${limits.heapMiB}`, limits.workerModulePath];
    this.#child = spawn("/bin/sh", ["-c", script, process.execPath, ...nodeArguments], {
      cwd: limits.workingDirectory,
      env: {},
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      serialization: "advanced",
    });
    this.#child.stderr?.setEncoding("utf8");
    this.#child.stderr?.on("data", (chunk: string) => {
      this.#stderrTail = (this.#stderrTail + chunk).slice(-stderrTailCharactersMax);
    });
    this.#child.on("message", (raw: unknown) => this.#receive(raw, handlers));
    // Why: 'error' covers a failed spawn (then no 'close' may follow) and a failed kill or send.
    this.#child.on("error", (error) => {
      this.#problem = error.message;
      if (this.#child.pid === undefined) this.#finish(handlers, null, null);
    });
    this.exited = new Promise((resolve) => {
      this.#child.once("close", (exitCode, signal) => {
        this.#finish(handlers, exitCode, signal);
        resolve();
      });
      if (this.#child.pid === undefined) this.#child.once("error", () => resolve());
    });
  }

  get processId(): number | undefined {
    return this.#child.pid;
  }

  send(job: RenderJob): void {
    // A closed channel means the child is dying; its 'close' reports that, so the error is dropped.
    this.#child.send(job, (error) => {
      if (error !== null) this.#problem = error.message;
    });
  }

  kill(): void {
    if (!this.#gone && this.#child.exitCode === null && this.#child.signalCode === null)
      this.#child.kill("SIGKILL");
  }

  /** Whether this worker keeps the event loop alive: only while the pool has work pending. */
  setReferenced(referenced: boolean): void {
    const handles = [
      this.#child,
      this.#child.channel,
      this.#child.stderr instanceof Socket ? this.#child.stderr : undefined,
    ];
    for (const handle of handles) {
      if (referenced) handle?.ref();
      else handle?.unref();
    }
  }

  #receive(raw: unknown, handlers: WorkerProcessHandlers): void {
    let message: WorkerMessage;
    try {
      message = decodeWorkerMessage(raw);
    } catch (error) {
      this.#problem = `undecodable message from the worker: ${error instanceof Error ? error.message : String(error)}`;
      this.kill();
      return;
    }
    handlers.onMessage(message);
  }

  #finish(handlers: WorkerProcessHandlers, exitCode: number | null, signal: string | null): void {
    if (this.#gone) return;
    this.#gone = true;
    this.#forgetExitCleanup();
    const detail = [this.#problem, this.#stderrTail.trim()].filter((part) => part.length > 0).join("; ");
    handlers.onExit({ exitCode, signal, detail });
  }
}
