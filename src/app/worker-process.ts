import { hostActors, ModelService, RenderService, type WorkerRole } from "../actors/index.ts";
import { createNatsBus } from "../bus/index.ts";
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

export interface RunningWorker {
  readonly roles: readonly WorkerRole[];
  readonly backend: string;
  /** Stops taking work, answers the requests in hand, then closes everything. */
  drain(): Promise<void>;
}

/**
 * A worker process: hosts the named actors on NATS queue groups, with the JetStream object store as
 * its blob store, so it can serve any run on that server. Work is content-addressed, so which worker
 * takes a request never changes its reply.
 */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<RunningWorker> {
  const connection = await connectNats(options.natsUrl, { name: `mmzero-worker-${options.roles.join("+")}` });
  const blobs = await openJetStreamBlobStore(connection);
  const bus = createNatsBus(connection);
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
    async drain() {
      for (const actor of actors) await actor.stop();
      await bus.close();
      await model?.close();
      await pool?.close();
      await blobs.close();
      await connection.close();
    },
  };
}
