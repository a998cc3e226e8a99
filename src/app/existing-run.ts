import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { readFileLogReadOnly } from "../store/index.ts";
import { runLogFileName } from "./run-logger.ts";

/** What a run directory holds before a run writes to it. */
export type ExistingRun =
  | { readonly kind: "none" }
  | { readonly kind: "same"; readonly events: number; readonly finished: boolean }
  | { readonly kind: "other"; readonly runId: string };

async function hasEntries(directory: string): Promise<boolean> {
  try {
    return (await readdir(directory)).length > 0;
  } catch {
    return false;
  }
}

/** Whether `outDir` holds no run, a run with this id (this configuration), or another run. */
export async function inspectRunDirectory(outDir: string, runId: string): Promise<ExistingRun> {
  const events = join(outDir, "events");
  if (!(await hasEntries(events))) return { kind: "none" };
  let count = 0;
  let finished = false;
  for await (const { event } of readFileLogReadOnly(events)) {
    if (event.runId !== runId) return { kind: "other", runId: event.runId };
    count += 1;
    finished ||= event.type === "RunCompleted";
  }
  return count === 0 ? { kind: "none" } : { kind: "same", events: count, finished };
}

/** Removes what a run writes (events, blobs, its structured log), after the caller confirmed it is this run. */
export async function removeRunOutputs(outDir: string): Promise<void> {
  for (const name of ["events", "blobs", runLogFileName])
    await rm(join(outDir, name), { recursive: true, force: true });
}
