import type { UpdateRecord } from "../report/index.ts";

/**
 * Which Solver each iteration of a run ends with (pure): iteration 0 is the base the run started
 * from; iteration i is the checkpoint of the last Solver `PolicyUpdated` at or before iteration i
 * (an iteration whose Solver phase made no update keeps the previous Solver).
 */

export interface IterationSolver {
  readonly iteration: number;
  /** Blob hash of the checkpoint (the cache key of its evaluation). */
  readonly checkpoint: string;
}

export function iterationSolvers(
  baseCheckpoint: string,
  updates: readonly UpdateRecord[],
  iterationsCompleted: number,
): IterationSolver[] {
  const solverUpdates = updates.filter((update) => update.role === "solver");
  const solvers: IterationSolver[] = [{ iteration: 0, checkpoint: baseCheckpoint }];
  for (let iteration = 1; iteration <= iterationsCompleted; iteration += 1) {
    const last = solverUpdates.filter((update) => update.iteration <= iteration).at(-1);
    solvers.push({ iteration, checkpoint: last?.checkpoint ?? baseCheckpoint });
  }
  return solvers;
}
