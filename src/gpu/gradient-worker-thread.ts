import assert from "node:assert/strict";
import { parentPort, workerData } from "node:worker_threads";
import { selectBackend } from "./backend.ts";
import type { GradientWorkerData, ShardReply, ShardRequest } from "./gradient-worker.ts";
import { VisionLanguageModel } from "./model.ts";
import { grpoShardGradients } from "./training.ts";

/**
 * The worker thread's side (gradient-worker.ts): answers each shard request with the shard's
 * gradients, one request at a time, from replicas built from the weights the request carries.
 * A failed request is answered with its error; an error outside a request ends the thread, and
 * the main thread sees it as the worker's `error` event.
 */

assert(
  parentPort !== null,
  "gradient-worker-thread.ts runs as a worker thread (gradient-worker.ts starts it)",
);
const port = parentPort;
const data = workerData as GradientWorkerData;
await selectBackend({ name: data.backend, wasmSimd: data.wasmSimd });

async function answer(request: ShardRequest): Promise<ShardReply> {
  const policy = VisionLanguageModel.fromValues(request.config, request.policy);
  const reference =
    request.reference === null ? null : VisionLanguageModel.fromValues(request.config, request.reference);
  try {
    const shard = await grpoShardGradients(policy, reference, request.samples, request.options);
    return { id: request.id, ok: true, ...shard };
  } finally {
    policy.dispose();
    reference?.dispose();
  }
}

function failure(id: number, error: unknown): ShardReply {
  const known = error instanceof Error ? error : new Error(String(error));
  return { id, ok: false, error: { name: known.name, message: known.message, stack: known.stack ?? "" } };
}

// Why a chain: wasm kernels run synchronously between awaits, so two requests must not interleave.
let queue = Promise.resolve();
port.on("message", (request: ShardRequest) => {
  queue = queue.then(async () => {
    const reply = await answer(request).catch((error: unknown) => failure(request.id, error));
    port.postMessage(reply);
  });
});
