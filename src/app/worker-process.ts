import type { Logger } from "pino";
import {
  hostActors,
  ModelService,
  RecentBlobs,
  RenderService,
  type WorkerRole,
  workSubjects,
} from "../actors/index.ts";
import { type Bus, openNatsBus } from "../bus/index.ts";
import { selectBackend } from "../gpu/index.ts";
import { worldTextCodec } from "../policy/index.ts";
import { createRenderPool, type RenderPool } from "../render/index.ts";
import { connectNats, openJetStreamBlobStore } from "../store/jetstream/index.ts";
import { createDaemonLogger } from "./service-logger.ts";

export interface WorkerProcessOptions {
  readonly natsUrl: string;
  readonly roles: readonly WorkerRole[];
  readonly renderWorkers: number;
  readonly renderTimeoutMs: number;
  /** Where the work served is logged; @default pino JSON lines on stderr at info */
  readonly logger?: Logger;
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

function subjectOf(role: WorkerRole): string {
  if (role === "render") return workSubjects.render;
  if (role === "trainer") return workSubjects.update;
  return workSubjects.generate(role);
}

/**
 * The bus as the hosted actors see it, with each request served logged at info: the role, how many
 * requests of that role this worker has served, how long this one took (failures at warn). One line
 * per request: a request is a chunk of generations, one GRPO update or one batch of renders, so a
 * busy worker writes a few lines per second at most.
 */
function loggingServes(bus: Bus, roles: readonly WorkerRole[], logger: Logger): Bus {
  const roleBySubject = new Map(roles.map((role) => [subjectOf(role), role]));
  const served = new Map<string, number>();
  return {
    kind: bus.kind,
    serve: (subject, handler) =>
      bus.serve(subject, async (request) => {
        const role = roleBySubject.get(subject) ?? subject;
        const startedMs = performance.now(); // wall-clock-ok: log only
        try {
          const reply = await handler(request);
          const count = (served.get(role) ?? 0) + 1;
          served.set(role, count);
          const ms = Math.round(performance.now() - startedMs); // wall-clock-ok: log only
          logger.info({ role, subject, served: count, ms }, `served ${role} request ${count} (${ms} ms)`);
          return reply;
        } catch (error) {
          logger.warn({ role, subject, err: error }, `a ${role} request failed`);
          throw error;
        }
      }),
    request: (subject, message, options) => bus.request(subject, message, options),
    deadLetter: (letter) => bus.deadLetter(letter),
    deadLetters: () => bus.deadLetters(),
    close: () => bus.close(),
    [Symbol.asyncDispose]: () => bus[Symbol.asyncDispose](),
  };
}

/**
 * A worker process: hosts the named actors on NATS queue groups, with the JetStream object store as
 * its blob store, so it can serve any run on that server. Work is content-addressed, so which worker
 * takes a request never changes its reply.
 */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<RunningWorker> {
  const connection = await connectNats(options.natsUrl, { name: `mmzero-worker-${options.roles.join("+")}` });
  const blobs = await openJetStreamBlobStore(connection);
  // The images and checkpoints this worker reads again come from memory, not the object store.
  const recent = new RecentBlobs(blobs);
  const bus = await openNatsBus(connection);
  const logger = options.logger ?? createDaemonLogger({ name: "mmzero-worker" });
  const needsModel = options.roles.some((role) => role !== "render");
  const backend = needsModel ? (await selectBackend()).info.name : "none";
  const model = needsModel ? new ModelService(recent, worldTextCodec()) : undefined;
  let pool: RenderPool | undefined;
  if (options.roles.includes("render")) {
    pool = createRenderPool({ workerCount: options.renderWorkers, renderTimeoutMs: options.renderTimeoutMs });
  }
  const render = pool === undefined ? undefined : new RenderService(pool, recent);
  const actors = hostActors(
    loggingServes(bus, options.roles, logger),
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
      await recent.close();
      await blobs.close();
      return reason === undefined ? { drained: true } : { drained: false, reason };
    },
  };
}
