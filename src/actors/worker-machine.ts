import { assign, emit, fromPromise, setup } from "xstate";
import type { JsonValue } from "../bus/index.ts";

/**
 * A worker actor: takes jobs from a bounded mailbox one at a time and performs each in invoked
 * logic, so the machine itself stays pure (its state is the queue; results leave as emitted
 * events). Proposer, Coder, Solver, Renderer and Trainer are instances with different `perform`.
 */

/** Why a bound: a producer faster than the model must be told to slow down, not buffer forever. */
export const workerMailboxDepthMax = 1024;

export interface WorkerJob {
  readonly jobId: number;
  readonly request: JsonValue;
}

export type WorkerEvent = { type: "WORK"; job: WorkerJob } | { type: "STOP" };

export type WorkerEmitted =
  | { type: "done"; jobId: number; reply: JsonValue }
  | { type: "failed"; jobId: number; errorName: string; message: string }
  | { type: "rejected"; jobId: number; reason: string };

export interface WorkerContext {
  readonly queue: readonly WorkerJob[];
  readonly completed: number;
}

export const workerMachine = setup({
  types: {
    context: {} as WorkerContext,
    events: {} as WorkerEvent,
    emitted: {} as WorkerEmitted,
  },
  actors: {
    // Replaced per role with `workerMachine.provide({ actors: { perform: fromPromise(...) } })`.
    perform: fromPromise<JsonValue, JsonValue>(async () => {
      throw new Error("worker has no perform logic: provide one");
    }),
  },
  guards: {
    hasWork: ({ context }) => context.queue.length > 0,
    mailboxFull: ({ context }) => context.queue.length >= workerMailboxDepthMax,
  },
}).createMachine({
  id: "worker",
  context: { queue: [], completed: 0 },
  initial: "idle",
  on: {
    WORK: [
      {
        guard: "mailboxFull",
        actions: emit(({ event }) => ({
          type: "rejected" as const,
          jobId: event.job.jobId,
          reason: `mailbox full (${workerMailboxDepthMax} jobs waiting)`,
        })),
      },
      { actions: assign({ queue: ({ context, event }) => [...context.queue, event.job] }) },
    ],
    STOP: ".stopped",
  },
  states: {
    idle: { always: { guard: "hasWork", target: "working" } },
    working: {
      invoke: {
        src: "perform",
        input: ({ context }) => context.queue[0]!.request,
        onDone: {
          target: "idle",
          actions: [
            emit(({ context, event }) => ({
              type: "done" as const,
              jobId: context.queue[0]!.jobId,
              reply: event.output,
            })),
            assign({
              queue: ({ context }) => context.queue.slice(1),
              completed: ({ context }) => context.completed + 1,
            }),
          ],
        },
        onError: {
          target: "idle",
          actions: [
            emit(({ context, event }) => ({
              type: "failed" as const,
              jobId: context.queue[0]!.jobId,
              errorName: event.error instanceof Error ? event.error.name : "Error",
              message: event.error instanceof Error ? event.error.message : String(event.error),
            })),
            assign({ queue: ({ context }) => context.queue.slice(1) }),
          ],
        },
      },
    },
    stopped: { type: "final" },
  },
});
