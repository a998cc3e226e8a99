import { createActor, fromPromise } from "xstate";
import type { Bus, JsonValue } from "../bus/index.ts";
import { workerMachine } from "./worker-machine.ts";

export class WorkerJobError extends Error {
  override readonly name: string;
  constructor(
    readonly subject: string,
    errorName: string,
    message: string,
  ) {
    super(message);
    this.name = errorName;
  }
}

export interface HostedWorker {
  readonly subject: string;
  stop(): Promise<void>;
}

/**
 * Hosts a worker actor on a bus subject: each request becomes a WORK event in the actor's mailbox,
 * and the actor's emitted result answers it.
 */
export function hostWorker(
  bus: Bus,
  subject: string,
  perform: (request: JsonValue) => Promise<JsonValue>,
): HostedWorker {
  const actor = createActor(
    workerMachine.provide({
      actors: { perform: fromPromise<JsonValue, JsonValue>(({ input }) => perform(input)) },
    }),
  );
  const pending = new Map<number, { resolve(reply: JsonValue): void; reject(error: Error): void }>();
  let nextJobId = 0;
  actor.on("done", ({ jobId, reply }) => pending.get(jobId)?.resolve(reply));
  actor.on("failed", ({ jobId, errorName, message }) =>
    pending.get(jobId)?.reject(new WorkerJobError(subject, errorName, message)),
  );
  actor.on("rejected", ({ jobId, reason }) =>
    pending.get(jobId)?.reject(new WorkerJobError(subject, "MailboxFull", reason)),
  );
  actor.start();
  const serving = bus.serve(subject, (request) => {
    const jobId = nextJobId++;
    return new Promise<JsonValue>((resolve, reject) => {
      pending.set(jobId, {
        resolve: (reply) => {
          pending.delete(jobId);
          resolve(reply);
        },
        reject: (error) => {
          pending.delete(jobId);
          reject(error);
        },
      });
      actor.send({ type: "WORK", job: { jobId, request } });
    });
  });
  return {
    subject,
    async stop() {
      await serving.stop();
      actor.send({ type: "STOP" });
      actor.stop();
    },
  };
}
