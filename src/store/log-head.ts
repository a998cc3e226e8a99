import { open, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { Result, Schema } from "effect";
import { LogCorruptionError, LogHeadLostError, LogRunMismatchError } from "./errors.ts";
import { errorCode, syncDirectory } from "./file-system.ts";
import { segmentName } from "./segment-format.ts";

/**
 * The durable record of a file log's acknowledged head: `head.json` in the log directory, written
 * atomically (temporary file, fsync, rename, directory fsync) when the log opens, when it starts a
 * new segment and when it closes. It is a lower bound: the log always holds at least these events
 * (they were fsynced before the file was written), so a log found shorter, or a segment it names
 * found missing, lost acknowledged events. Why not after every append: a second fsync per append
 * would halve the append rate; the segments' CRCs cover the records written since.
 */
export const headFileName = "head.json";

const DurableHead = Schema.Struct({
  format: Schema.Literal(1),
  runId: Schema.String,
  /** Events the log held, all fsynced, when the file was written. */
  seq: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  /** The chain hash after `seq` events. */
  chainHash: Schema.String,
  /** The segment appends went to; it and every segment before it exist. */
  lastSegment: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
});
export type DurableHead = typeof DurableHead.Type;

/** The head file of `directory`, or null when the log has none (a new log, or one written before it existed). */
export async function readDurableHead(directory: string): Promise<DurableHead | null> {
  const path = join(directory, headFileName);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (errorCode(error) === "ENOENT") return null;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new LogCorruptionError(path, 0, "the head file is not JSON");
  }
  const decoded = Schema.decodeUnknownResult(DurableHead)(parsed);
  if (Result.isFailure(decoded)) throw new LogCorruptionError(path, 0, "the head file is not a log head");
  return decoded.success;
}

/** Replaces the head file atomically and durably. */
export async function writeDurableHead(directory: string, head: Omit<DurableHead, "format">): Promise<void> {
  const path = join(directory, headFileName);
  const temporary = `${path}.${process.pid}.tmp`;
  const file = await open(temporary, "w");
  try {
    await file.writeFile(`${JSON.stringify({ format: 1, ...head })}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
  await syncDirectory(directory);
}

/** What a reader found, to check against the head file. */
export interface FoundLog {
  readonly runId: string;
  readonly segments: readonly number[];
  readonly headSeq: number;
  /**
   * The chain hash after `seq` events (only asked for seq <= headSeq), to check that the events up
   * to the head are the acknowledged ones. Readers leave it out: `replay` locates an edit exactly
   * through the chain anchors and re-execution, which this check would pre-empt.
   */
  readonly chainHashAt?: (seq: number) => string;
}

/** Checks that the log holds everything its head file says was acknowledged (and, given the chain, unchanged). */
export function checkDurableHead(directory: string, durable: DurableHead, found: FoundLog): void {
  if (durable.runId !== found.runId) throw new LogRunMismatchError(directory, found.runId, durable.runId);
  const lastFound = found.segments.at(-1) ?? 0;
  if (lastFound < durable.lastSegment) {
    throw new LogHeadLostError(
      directory,
      `segment ${segmentName(durable.lastSegment)} is missing (${headFileName} records it as written; the last segment here is ${lastFound === 0 ? "none" : segmentName(lastFound)})`,
    );
  }
  if (found.headSeq < durable.seq) {
    throw new LogHeadLostError(
      directory,
      `the log ends at seq ${found.headSeq}, but seq ${durable.seq} was acknowledged (${headFileName})`,
    );
  }
  if (found.chainHashAt !== undefined && found.chainHashAt(durable.seq) !== durable.chainHash) {
    throw new LogCorruptionError(
      join(directory, headFileName),
      0,
      `the chain after seq ${durable.seq} is not the one acknowledged: events up to it were replaced`,
    );
  }
}
