// A pool of sandboxed render workers (worker-process.ts) fed from a bounded queue. Each render has
// a hard wall-clock limit counted from when its worker starts it; on timeout or crash the worker
// is killed and replaced, the culprit gets a typed outcome, and renders queued behind it on that
// worker go back to the front of the queue. Workers are replaced after a fixed number of renders.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { RenderPoolBrokenError, RenderPoolClosedError, RenderQueueFullError } from "./errors.ts";
import { cleanUpOnExit } from "./exit-cleanup.ts";
import { defaultSvgLimits, type SvgLimits } from "./limits.ts";
import {
  outcomeFromRasterizeResult,
  type RenderOutcome,
  rendererCrash,
  type SvgSource,
  timeout,
} from "./outcome.ts";
import { prepareRender, type RenderOptions } from "./prepare.ts";
import { defaultWorkerModulePath, type WorkerExit, WorkerProcess } from "./worker-process.ts";
import type { RasterizeRequest, WorkerMessage } from "./worker-protocol.ts";

export interface RenderPoolOptions {
  /** Worker processes rendering in parallel. @default os.availableParallelism() */
  readonly workerCount?: number;
  /** Wall-clock limit of one render, from when its worker starts it; then SIGKILL. @default 2000 */
  readonly renderTimeoutMs?: number;
  /** Renders a worker does before a fresh one replaces it. @default 500 */
  readonly rendersPerWorkerMax?: number;
  /** Requests waiting for a worker before `render` rejects with RenderQueueFullError. @default 1024 */
  readonly queueDepthMax?: number;
  /** Requests sent ahead to one worker so it never waits on a round trip. @default 4 */
  readonly pipelineDepth?: number;
  /** Hard virtual-memory limit per worker (ulimit -v), MiB. @default 1536 */
  readonly workerAddressSpaceMiB?: number;
  /** V8 heap limit per worker, MiB. @default 256 */
  readonly workerHeapMiB?: number;
  /** Limits on the SVG checked before rendering. @default defaultSvgLimits */
  readonly limits?: SvgLimits;
}

export interface RenderPoolStats {
  readonly workersStarted: number;
  readonly rendered: number;
  readonly timedOut: number;
  readonly crashed: number;
  readonly recycled: number;
}

export interface RenderPool extends AsyncDisposable {
  /** Extracts (unless `extract: false`), validates, then renders in a worker. Never rejects for a bad SVG. */
  render(input: string | Uint8Array, options: RenderOptions): Promise<RenderOutcome>;
  /** Resolves when nothing is queued or rendering. */
  drain(): Promise<void>;
  /** Kills every worker at once; pending renders reject with RenderPoolClosedError. */
  close(): Promise<void>;
  /** Process ids of the live workers, for diagnostics and tests. */
  workerProcessIds(): number[];
  stats(): RenderPoolStats;
}

interface Job {
  readonly id: number;
  readonly request: RasterizeRequest;
  readonly source: SvgSource;
  readonly resolve: (outcome: RenderOutcome) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly worker: WorkerProcess;
  state: "starting" | "ready" | "retiring" | "gone";
  /** In the order sent; the worker renders them one at a time, so the head is the one rendering. */
  readonly inFlight: Job[];
  dispatched: number;
  timer: NodeJS.Timeout | undefined;
}

// Why: one bad start can be bad luck (memory pressure); three in a row means a misconfiguration.
const consecutiveStartFailuresMax = 3;
// Why: the CPU-time backstop only matters for orphans; it must never cut a healthy worker short.
const cpuBackstopSlackSeconds = 60;

export function createRenderPool(options: RenderPoolOptions = {}): RenderPool {
  return new SandboxedRenderPool(options);
}

class SandboxedRenderPool implements RenderPool {
  readonly #workerCount: number;
  readonly #renderTimeoutMs: number;
  readonly #rendersPerWorkerMax: number;
  readonly #queueDepthMax: number;
  readonly #pipelineDepth: number;
  readonly #limits: SvgLimits;
  readonly #workingDirectory = mkdtempSync(join(tmpdir(), "mmzero-render-"));
  readonly #forgetExitCleanup = cleanUpOnExit(() => this.#removeWorkingDirectory());
  readonly #spawnLimits: ConstructorParameters<typeof WorkerProcess>[0];
  readonly #slots = new Set<Slot>();
  #queue: Job[] = [];
  #nextJobId = 0;
  #consecutiveStartFailures = 0;
  #closing: Promise<void> | undefined;
  #broken: RenderPoolBrokenError | undefined;
  #idleWaiters: Array<() => void> = [];
  #stats = { workersStarted: 0, rendered: 0, timedOut: 0, crashed: 0, recycled: 0 };

  constructor(options: RenderPoolOptions) {
    this.#workerCount = options.workerCount ?? availableParallelism();
    this.#renderTimeoutMs = options.renderTimeoutMs ?? 2000;
    this.#rendersPerWorkerMax = options.rendersPerWorkerMax ?? 500;
    this.#queueDepthMax = options.queueDepthMax ?? 1024;
    this.#pipelineDepth = options.pipelineDepth ?? 4;
    this.#limits = options.limits ?? defaultSvgLimits;
    const addressSpaceMiB = options.workerAddressSpaceMiB ?? 1536;
    const heapMiB = options.workerHeapMiB ?? 256;
    for (const [name, value] of Object.entries({
      workerCount: this.#workerCount,
      renderTimeoutMs: this.#renderTimeoutMs,
      rendersPerWorkerMax: this.#rendersPerWorkerMax,
      queueDepthMax: this.#queueDepthMax,
      pipelineDepth: this.#pipelineDepth,
      workerAddressSpaceMiB: addressSpaceMiB,
      workerHeapMiB: heapMiB,
    })) {
      assert(
        Number.isInteger(value) && value >= 1,
        `render pool option ${name}=${value} must be a positive integer`,
      );
    }
    const cpuSecondsMax =
      Math.ceil((this.#rendersPerWorkerMax * this.#renderTimeoutMs) / 1000) + cpuBackstopSlackSeconds;
    this.#spawnLimits = {
      workingDirectory: this.#workingDirectory,
      addressSpaceMiB,
      heapMiB,
      cpuSecondsMax,
      workerModulePath: defaultWorkerModulePath,
    };
    for (let index = 0; index < this.#workerCount; index++) this.#startWorker();
  }

  render(input: string | Uint8Array, options: RenderOptions): Promise<RenderOutcome> {
    if (this.#closing !== undefined) return Promise.reject(new RenderPoolClosedError());
    const prepared = prepareRender(input, options, this.#limits);
    if (prepared.kind === "refused") return Promise.resolve(prepared.outcome);
    if (this.#broken !== undefined) return Promise.reject(this.#broken);
    if (this.#queue.length >= this.#queueDepthMax)
      return Promise.reject(new RenderQueueFullError(this.#queueDepthMax));
    return new Promise((resolve, reject) => {
      const id = this.#nextJobId++;
      this.#queue.push({ id, request: prepared.request, source: prepared.source, resolve, reject });
      this.#pump();
    });
  }

  drain(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutDown(new RenderPoolClosedError());
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  workerProcessIds(): number[] {
    return [...this.#slots].flatMap((slot) =>
      slot.worker.processId === undefined ? [] : [slot.worker.processId],
    );
  }

  stats(): RenderPoolStats {
    return { ...this.#stats };
  }

  #startWorker(): void {
    const slot: Slot = {
      worker: new WorkerProcess(this.#spawnLimits, {
        onMessage: (message) => this.#onMessage(slot, message),
        onExit: (exit) => this.#onExit(slot, exit),
      }),
      state: "starting",
      inFlight: [],
      dispatched: 0,
      timer: undefined,
    };
    this.#slots.add(slot);
    this.#stats.workersStarted += 1;
    this.#updateReferences();
  }

  #onMessage(slot: Slot, message: WorkerMessage): void {
    if (slot.state === "gone") return;
    if (message.type === "ready") {
      slot.state = "ready";
      this.#consecutiveStartFailures = 0;
      this.#pump();
      return;
    }
    const job = slot.inFlight[0];
    if (job === undefined || job.id !== message.id) {
      // A worker that answers out of turn is not trusted with more work.
      this.#stopWorker(slot, { crashDetail: `the worker answered job ${message.id} out of turn` });
      return;
    }
    slot.inFlight.shift();
    clearTimeout(slot.timer);
    this.#stats.rendered += 1;
    job.resolve(outcomeFromRasterizeResult(message.result, job.source));
    if (slot.inFlight.length > 0) this.#startTimer(slot);
    else if (slot.state === "retiring") this.#stopWorker(slot, {});
    this.#pump();
  }

  #onExit(slot: Slot, exit: WorkerExit): void {
    if (slot.state === "gone") return;
    if (slot.state === "starting") {
      this.#consecutiveStartFailures += 1;
      this.#removeSlot(slot);
      if (this.#consecutiveStartFailures >= consecutiveStartFailuresMax) {
        const how = exit.signal ?? `exit code ${exit.exitCode}`;
        this.#broken = new RenderPoolBrokenError(this.#consecutiveStartFailures, `${how}: ${exit.detail}`);
        void this.#shutDown(this.#broken);
        return;
      }
      this.#startWorker();
      return;
    }
    const culprit = slot.inFlight.shift();
    if (culprit !== undefined) {
      this.#stats.crashed += 1;
      culprit.resolve(rendererCrash(exit.exitCode, exit.signal, exit.detail));
    }
    this.#stopWorker(slot, {});
  }

  #dispatch(slot: Slot, job: Job): void {
    slot.inFlight.push(job);
    slot.dispatched += 1;
    slot.worker.send({ id: job.id, request: job.request });
    if (slot.inFlight.length === 1) this.#startTimer(slot);
    if (slot.dispatched >= this.#rendersPerWorkerMax) {
      slot.state = "retiring";
      this.#stats.recycled += 1;
      this.#startWorker();
    }
  }

  #startTimer(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = setTimeout(() => {
      const job = slot.inFlight.shift();
      if (job === undefined) return;
      this.#stats.timedOut += 1;
      job.resolve(timeout(this.#renderTimeoutMs));
      this.#stopWorker(slot, {});
    }, this.#renderTimeoutMs);
  }

  /**
   * Kills the worker, sends what it had not started back to the front of the queue, and starts a
   * replacement unless it was retiring (then one was started already). `crashDetail` blames the head.
   */
  #stopWorker(slot: Slot, reason: { readonly crashDetail?: string }): void {
    const wasRetiring = slot.state === "retiring";
    if (reason.crashDetail !== undefined) {
      const culprit = slot.inFlight.shift();
      this.#stats.crashed += culprit === undefined ? 0 : 1;
      culprit?.resolve(rendererCrash(null, null, reason.crashDetail));
    }
    this.#queue = [...slot.inFlight, ...this.#queue];
    slot.inFlight.length = 0;
    this.#removeSlot(slot);
    if (!wasRetiring && this.#closing === undefined) this.#startWorker();
    this.#pump();
  }

  #removeSlot(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.state = "gone";
    slot.worker.kill();
    this.#slots.delete(slot);
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      let best: Slot | undefined;
      for (const slot of this.#slots) {
        const open = slot.state === "ready" && slot.inFlight.length < this.#pipelineDepth;
        if (open && (best === undefined || slot.inFlight.length < best.inFlight.length)) best = slot;
      }
      const job = best === undefined ? undefined : this.#queue.shift();
      if (best === undefined || job === undefined) break;
      this.#dispatch(best, job);
    }
    this.#updateReferences();
    if (this.#isIdle()) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  #isIdle(): boolean {
    return this.#queue.length === 0 && [...this.#slots].every((slot) => slot.inFlight.length === 0);
  }

  /** Workers keep the event loop alive only while work is pending, so a forgotten pool cannot hang exit. */
  #updateReferences(): void {
    const busy = !this.#isIdle();
    for (const slot of this.#slots) slot.worker.setReferenced(busy);
  }

  async #shutDown(error: RenderPoolClosedError | RenderPoolBrokenError): Promise<void> {
    const pending = [...this.#queue, ...[...this.#slots].flatMap((slot) => slot.inFlight)];
    this.#queue = [];
    const exits = [...this.#slots].map((slot) => {
      slot.worker.setReferenced(true);
      this.#removeSlot(slot);
      return slot.worker.exited;
    });
    for (const job of pending) job.reject(error);
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
    await Promise.all(exits);
    this.#removeWorkingDirectory();
    this.#forgetExitCleanup();
  }

  #removeWorkingDirectory(): void {
    rmSync(this.#workingDirectory, { recursive: true, force: true });
  }
}
