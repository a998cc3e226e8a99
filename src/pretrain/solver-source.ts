import { readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { decodeCheckpoint, type VisionLanguageModel } from "../gpu/index.ts";
import { FileBlobStore, readFileLogReadOnly, runEventsDirectory } from "../store/index.ts";

/**
 * Where `mmzero eval --solver` finds its model: a checkpoint file (a committed base or any
 * `mmzero pretrain` output), or a run directory, whose final Solver is the checkpoint of the last
 * `PolicyUpdated` event for the solver role. The run's log is read without its writer's lock, so a
 * live run can be evaluated.
 */

export interface LoadedSolver {
  /** The model; the caller disposes it. */
  readonly model: VisionLanguageModel;
  readonly weightHash: string;
  /** What was loaded, for people and the JSON report. */
  readonly source: string;
}

/** A run directory whose log holds no Solver update: its Solver is still the base it started from. */
export class RunWithoutSolverUpdateError extends Error {
  override readonly name = "RunWithoutSolverUpdateError";
  constructor(readonly runDirectory: string) {
    super(
      `run ${runDirectory} has no PolicyUpdated event for the solver yet, so its Solver is the base it started from; evaluate that base checkpoint instead (e.g. models/base-small.ckpt)`,
    );
  }
}

/** The path names neither a checkpoint file nor a run directory. */
export class SolverNotFoundError extends Error {
  override readonly name = "SolverNotFoundError";
  constructor(readonly path: string) {
    super(
      `${path}: no such checkpoint file or run directory; pass a .ckpt file (e.g. models/base-small.ckpt) or a run directory`,
    );
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT")
      throw new SolverNotFoundError(path);
    throw error;
  }
}

/** The blob hash of the run's last Solver checkpoint. */
async function lastSolverCheckpoint(runDirectory: string): Promise<string> {
  let checkpoint: string | undefined;
  for await (const { event } of readFileLogReadOnly(await runEventsDirectory(runDirectory))) {
    if (event.type === "PolicyUpdated" && event.payload.role === "solver")
      checkpoint = event.payload.checkpoint;
  }
  if (checkpoint === undefined) throw new RunWithoutSolverUpdateError(runDirectory);
  return checkpoint;
}

export async function loadSolver(path: string): Promise<LoadedSolver> {
  const absolute = resolve(path);
  if (await isDirectory(absolute)) {
    const checkpoint = await lastSolverCheckpoint(absolute);
    // The constructor, not openFileBlobStore: reading must not create folders in someone's run.
    const bytes = await new FileBlobStore(join(absolute, "blobs")).get(checkpoint);
    const loaded = decodeCheckpoint(bytes);
    return {
      model: loaded.model,
      weightHash: loaded.weightHash,
      source: `run ${absolute}, solver checkpoint ${checkpoint}`,
    };
  }
  const loaded = decodeCheckpoint(await readFile(absolute));
  return { model: loaded.model, weightHash: loaded.weightHash, source: `checkpoint ${absolute}` };
}
