import { assign, fromPromise, setup } from "xstate";
import type { ScheduleUnit } from "./schedule.ts";

/**
 * The Coordinator: walks the schedule one unit at a time. Each unit runs as invoked logic (the
 * runtime provides `executeUnit`: model calls, renders, appends); the machine only holds the
 * cursor, so its whole state is "which unit is next", derivable from the log on resume.
 */
export interface CoordinatorInput {
  readonly units: readonly ScheduleUnit[];
  readonly startIndex: number;
}

export interface CoordinatorContext {
  readonly units: readonly ScheduleUnit[];
  readonly index: number;
  readonly failure: { readonly name: string; readonly message: string } | null;
}

export const coordinatorMachine = setup({
  types: {
    context: {} as CoordinatorContext,
    input: {} as CoordinatorInput,
  },
  actors: {
    executeUnit: fromPromise<void, ScheduleUnit>(async () => {
      throw new Error("the coordinator has no executeUnit logic: provide one");
    }),
  },
  guards: {
    finished: ({ context }) => context.index >= context.units.length,
  },
}).createMachine({
  id: "coordinator",
  context: ({ input }) => ({ units: input.units, index: input.startIndex, failure: null }),
  initial: "deciding",
  states: {
    deciding: {
      always: [{ guard: "finished", target: "completed" }, { target: "running" }],
    },
    running: {
      invoke: {
        src: "executeUnit",
        input: ({ context }) => context.units[context.index]!,
        onDone: { target: "deciding", actions: assign({ index: ({ context }) => context.index + 1 }) },
        onError: {
          target: "failed",
          actions: assign({
            failure: ({ event }) => ({
              name: event.error instanceof Error ? event.error.name : "Error",
              message: event.error instanceof Error ? event.error.message : String(event.error),
            }),
          }),
        },
      },
    },
    completed: { type: "final" },
    failed: { type: "final" },
  },
});
