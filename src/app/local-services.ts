import type { LoopServices } from "../actors/index.ts";
import {
  busLoopServices,
  hostActors,
  ModelService,
  RecentBlobs,
  RenderService,
  type WorkerRole,
  workerRoles,
} from "../actors/index.ts";
import type { Bus } from "../bus/index.ts";
import { createMemoryBus } from "../bus/index.ts";
import type { RunConfig } from "../config/index.ts";
import { worldTextCodec } from "../policy/index.ts";
import { createRenderPool } from "../render/index.ts";
import type { BlobStore } from "../store/index.ts";

export interface LocalServices extends AsyncDisposable {
  readonly bus: Bus;
  readonly services: LoopServices;
}

/**
 * The Proposer, Coder, Solver, Trainer and Renderer actors hosted in this process on a bus (the
 * in-process one unless given; the caller owns and closes a bus it passes), and the loop's services
 * as requests on that bus.
 */
export async function openLocalServices(
  config: RunConfig,
  blobs: BlobStore,
  givenBus?: Bus,
  roles: readonly WorkerRole[] = workerRoles,
): Promise<LocalServices> {
  const bus = givenBus ?? createMemoryBus();
  const pool = createRenderPool({
    workerCount: config.render.workers,
    renderTimeoutMs: config.render.timeoutMs,
  });
  // One copy of recent blobs for both: the renders the model reads back, the checkpoints it saved.
  const recent = new RecentBlobs(blobs);
  const model = new ModelService(recent, worldTextCodec());
  const render = new RenderService(pool, recent);
  const actors = hostActors(bus, { model, render }, roles);
  return {
    bus,
    services: busLoopServices(bus),
    async [Symbol.asyncDispose]() {
      for (const actor of actors) await actor.stop();
      await model.close();
      await pool.close();
      await recent.close();
      if (givenBus === undefined) await bus.close();
    },
  };
}
