import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { NotARunDirectoryError } from "./errors.ts";
import { errorCode } from "./file-system.ts";
import { headFileName } from "./log-head.ts";
import { parseSegmentName } from "./segment-format.ts";

/** What is at a path: a directory's entries, "missing", or "not-directory". */
async function entriesAt(path: string): Promise<string[] | "missing" | "not-directory"> {
  try {
    if (!(await stat(path)).isDirectory()) return "not-directory";
    return await readdir(path);
  } catch (error) {
    if (errorCode(error) === "ENOENT") return "missing";
    throw error;
  }
}

/** A log directory holds segments, or at least its head file (whose check then names the missing segments). */
const holdsLog = (entries: readonly string[]): boolean =>
  entries.some((name) => name === headFileName || parseSegmentName(name) !== null);

/**
 * The events directory of a run: `<path>/events`, or `path` itself when it is an events directory.
 * Every command that opens a run asks this first, so a wrong path is an error naming what was
 * expected, never an empty log (0 events, a zero hash) or a bare ENOENT.
 */
export async function runEventsDirectory(path: string): Promise<string> {
  const entries = await entriesAt(path);
  if (entries === "missing") throw new NotARunDirectoryError(path, "the path does not exist");
  if (entries === "not-directory") throw new NotARunDirectoryError(path, "it is not a directory");
  if (holdsLog(entries)) return path;
  const events = join(path, "events");
  const inside = await entriesAt(events);
  if (inside === "missing" || inside === "not-directory")
    throw new NotARunDirectoryError(path, "it has no events/ directory");
  if (!holdsLog(inside)) throw new NotARunDirectoryError(path, "its events/ directory holds no log segment");
  return events;
}
