import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import * as tf from "@tensorflow/tfjs";
import { readWeights } from "./checkpoint.ts";
import type { VisionLanguageModel } from "./model.ts";
import type { GradientHelper, GrpoSample, ShardGradients, ShardOptions } from "./training.ts";

/**
 * The main thread's side of data-parallel GRPO updates: a worker thread with its own tfjs and wasm
 * instance (single-threaded: tfjs-backend-wasm's threaded build does not load in Node, ERR_WORKER_PATH)
 * computes one shard of each mini-batch. Every request carries the policy's and the reference's
 * current weights, so the worker's replicas are exactly the main thread's models whatever happened
 * before (docs/model.md, "Two training threads").
 */

/** What the worker thread is started with: the main thread's backend, so both compute alike. */
export interface GradientWorkerData {
  readonly backend: "wasm" | "cpu";
  readonly wasmSimd: boolean;
}

type NamedValues = Awaited<ReturnType<typeof readWeights>>;

export interface ShardRequest {
  readonly id: number;
  readonly config: VisionLanguageModel["config"];
  readonly policy: NamedValues;
  readonly reference: NamedValues | null;
  readonly samples: readonly GrpoSample[];
  readonly options: ShardOptions;
}

export type ShardReply =
  | ({ readonly id: number; readonly ok: true } & ShardGradients)
  | {
      readonly id: number;
      readonly ok: false;
      readonly error: { readonly name: string; readonly message: string; readonly stack: string };
    };

/** The gradient worker failed, exited, or was closed: the update it served cannot complete. */
export class GradientWorkerError extends Error {
  override readonly name = "GradientWorkerError";
}

/** The worker script: plain JavaScript that loads tsx, then gradient-worker-thread.ts. */
export const gradientWorkerEntry = new URL("./gradient-worker-entry.mjs", import.meta.url);

/** The active backend as the worker must select it; native backends already use every core. */
async function workerData(): Promise<GradientWorkerData> {
  const active = tf.getBackend();
  if (active === "wasm") {
    return { backend: "wasm", wasmSimd: (await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")) === true };
  }
  if (active === "cpu") return { backend: "cpu", wasmSimd: false };
  throw new GradientWorkerError(
    `two training threads need the wasm or cpu backend (the active one, ${active}, already uses every core); set optimizer.threads to 1`,
  );
}

interface Pending {
  readonly resolve: (gradients: ShardGradients) => void;
  readonly reject: (error: GradientWorkerError) => void;
}

export class GradientWorker implements GradientHelper {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  /** Set once the worker is gone (failed, exited or closed): every later request fails with it. */
  #gone: GradientWorkerError | undefined;

  private constructor(entry: URL, data: GradientWorkerData) {
    this.#worker = new Worker(entry, { workerData: data });
    // Why unref: an idle worker must not keep the process alive; a pending request refs it again.
    this.#worker.unref();
    this.#worker.on("message", (reply: ShardReply) => this.#settle(reply));
    this.#worker.on("error", (error) =>
      this.#fail(new GradientWorkerError(`the gradient worker failed: ${error.message}`, { cause: error })),
    );
    this.#worker.on("messageerror", (error) =>
      this.#fail(new GradientWorkerError(`a gradient worker reply could not be read: ${error.message}`)),
    );
    this.#worker.on("exit", (code) =>
      this.#fail(new GradientWorkerError(`the gradient worker exited with code ${code}`)),
    );
  }

  /** Starts a worker on the active backend. `entry` replaces the worker script (tests). */
  static async start(entry: URL = gradientWorkerEntry): Promise<GradientWorker> {
    return new GradientWorker(entry, await workerData());
  }

  /** False once the worker failed, exited or was closed. */
  get usable(): boolean {
    return this.#gone === undefined;
  }

  async shardGradients(
    policy: VisionLanguageModel,
    reference: VisionLanguageModel | null,
    samples: readonly GrpoSample[],
    options: ShardOptions,
  ): Promise<ShardGradients> {
    if (this.#gone !== undefined) throw this.#gone;
    const request: ShardRequest = {
      id: this.#nextId++,
      config: policy.config,
      policy: await readWeights(policy),
      reference: reference === null ? null : await readWeights(reference),
      samples,
      options,
    };
    if (this.#gone !== undefined) throw this.#gone;
    const reply = new Promise<ShardGradients>((resolve, reject) =>
      this.#pending.set(request.id, { resolve, reject }),
    );
    this.#worker.ref();
    this.#worker.postMessage(request);
    return reply;
  }

  /** Terminates the worker; a request still waiting fails. */
  async close(): Promise<void> {
    this.#fail(new GradientWorkerError("the gradient worker was closed"));
    await this.#worker.terminate();
  }

  #settle(reply: ShardReply): void {
    const pending = this.#pending.get(reply.id);
    assert(pending !== undefined, `gradient worker answered request ${reply.id}, which is not waiting`);
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if (reply.ok) {
      pending.resolve({ gradients: reply.gradients, parts: reply.parts });
      return;
    }
    const { name, message, stack } = reply.error;
    pending.reject(
      new GradientWorkerError(`the gradient worker's shard failed: ${name}: ${message}`, {
        cause: Object.assign(new Error(message), { name, stack }),
      }),
    );
  }

  #fail(error: GradientWorkerError): void {
    this.#gone ??= error;
    for (const pending of this.#pending.values()) pending.reject(this.#gone);
    this.#pending.clear();
  }
}
