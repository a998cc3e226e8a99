import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Schema } from "effect";
import { writeFileDurably } from "./durable-file.ts";

/**
 * The file in `<runs-dir>/<runId>/` that records `DELETE /runs/<id>`. The daemon's bookkeeping, not
 * an event: the run's log stays exactly as the run left it (cut between units, like a drain), so the
 * report and replay read it as any cut run. Written before the DELETE is answered.
 */
export const cancellationFileName = "cancelled.json";

export const CancellationRecord = Schema.Struct({
  format: Schema.Literal(1),
  runId: Schema.String,
  /** What the run was doing when the cancel arrived. */
  cancelledWhile: Schema.Literals(["queued", "running", "stopped"]),
});
export type CancellationRecord = typeof CancellationRecord.Type;

export function writeCancellation(runDirectory: string, record: CancellationRecord): Promise<void> {
  return writeFileDurably(runDirectory, cancellationFileName, `${JSON.stringify(record, null, 2)}\n`);
}

/** The run's cancellation, or null when it was never cancelled; a damaged file is an error (not "not cancelled"). */
export async function readCancellation(runDirectory: string): Promise<CancellationRecord | null> {
  let text: string;
  try {
    text = await readFile(join(runDirectory, cancellationFileName), "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return null;
    throw error;
  }
  return Schema.decodeUnknownSync(CancellationRecord)(JSON.parse(text));
}
