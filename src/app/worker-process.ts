import { ModelService } from "../actors/services/model-service.ts";
import { RenderService } from "../actors/services/render-service.ts";
import { hostActors, type WorkerRole } from "../actors/wiring.ts";
import { openNatsBus } from "../bus/nats-bus.ts";
import { selectBackend } from "../gpu/index.ts";
import { worldTextCodec } from "../policy/index.ts";
import { createRenderPool, type RenderPool } from "../render/index.ts";
import { connectNats, openJetStreamBlobStore } from "../store/jetstream/index.ts";

export interface WorkerProcessOptions {
  readonly natsUrl: string;
  readonly roles: readonly WorkerRole[];
  readonly renderWorkers: number;
  readonly renderTimeoutMs: number;
}

/** Why 30 s: a request in hand (a sampling batch, a GRPO update) takes seconds; the daemon allows as long. */
export const workerDrainDeadlineMsDefault = 30_000;

/** How a drain ended: every request in hand answered, or cut short (the requests in hand are asked again by the run). */
export type WorkerDrainOutcome =
  | { readonly drained: true }
  | { readonly drained: false; readonly reason: string };

export interface RunningWorker {
  readonly roles: readonly WorkerRole[];
  readonly backend: string;
  /**
   * Stops taking work, answers the requests in hand, then closes everything. Never waits for a
   * server that is gone, nor past `deadlineMs`: then it closes the connection without draining
   * (no more reconnecting) and says why.
   */
  drain(deadlineMs?: number): Promise<WorkerDrainOutcome>;
}

/**
 * A worker process: hosts the named actors on NATS queue groups, with the JetStream object store as
 * its blob store, so it can serve any run on that server. Work is content-addressed, so which worker
 * takes a request never changes its reply.
 */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<RunningWorker> {
  const connection = await connectNats(options.natsUrl, { name: `mmzero-worker-${options.roles.join("+")}` });
  const blobs = await openJetStreamBlobStore(connection);
  const bus = await openNatsBus(connection);
  const needsModel = options.roles.some((role) => role !== "render");
  const backend = needsModel ? (await selectBackend()).info.name : "none";
  const model = needsModel ? new ModelService(blobs, worldTextCodec()) : undefined;
  let pool: RenderPool | undefined;
  if (options.roles.includes("render")) {
    pool = createRenderPool({ workerCount: options.renderWorkers, renderTimeoutMs: options.renderTimeoutMs });
  }
  const render = pool === undefined ? undefined : new RenderService(pool, blobs);
  const actors = hostActors(
    bus,
    { ...(model ? { model } : {}), ...(render ? { render } : {}) },
    options.roles,
  );
  return {
    roles: options.roles,
    backend,
    async drain(deadlineMs = workerDrainDeadlineMsDefault) {
      let timer: NodeJS.Timeout | undefined;
      const cut = Promise.race([
        connection.lost().then(() => `the NATS server at ${options.natsUrl} is unreachable`),
        new Promise<string>((resolve) => {
          timer = setTimeout(() => resolve(`the drain deadline (${deadlineMs / 1000} s) passed`), deadlineMs);
        }),
      ]);
      const graceful = (async () => {
        for (const actor of actors) await actor.stop();
        await bus.close();
        await connection.close();
      })();
      const reason = await Promise.race([graceful.then(() => undefined), cut]);
      clearTimeout(timer);
      if (reason !== undefined) await connection.closeNow();
      await model?.close();
      await pool?.close();
      await blobs.close();
      return reason === undefined ? { drained: true } : { drained: false, reason };
    },
  };
}
