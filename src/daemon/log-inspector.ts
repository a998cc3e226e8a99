import { join } from "node:path";
import { type RecordedEvent, readFileLogReadOnly } from "../store/index.ts";
import { connectNats, type JetStreamConnection, openJetStreamLog } from "../store/jetstream/index.ts";
import type { RunFailure } from "./run-table.ts";

/**
 * Reads runs' logs without writing them, wherever they live: the file log in the run directory (the
 * embedded default) or the run's JetStream subject (`--nats`). Used at startup (which runs are
 * unfinished) and after a run (events the live tail had not read when the log closed).
 */
export interface LogInspector extends AsyncDisposable {
  /** The run's events from `fromSeq` on, in order; nothing for a run with no log yet. */
  read(runId: string, runDirectory: string, fromSeq: number): AsyncIterable<RecordedEvent>;
  close(): Promise<void>;
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}

/** The embedded default: `<run directory>/events`, read with the read-only reader (no writer lock). */
export function createFileLogInspector(): LogInspector {
  return {
    async *read(_runId, runDirectory, fromSeq) {
      try {
        for await (const recorded of readFileLogReadOnly(join(runDirectory, "events")))
          if (recorded.event.seq >= fromSeq) yield recorded;
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    },
    close: async () => undefined,
    [Symbol.asyncDispose]: async () => undefined,
  };
}

/** On NATS: the run's events in the JetStream event stream, over one connection kept for the daemon's life. */
export async function createNatsLogInspector(url: string): Promise<LogInspector> {
  const connection: JetStreamConnection = await connectNats(url, { name: "mmzero-daemon-inspector" });
  return {
    async *read(runId, _runDirectory, fromSeq) {
      await using log = await openJetStreamLog(connection, runId);
      yield* log.read({ from: fromSeq });
    },
    close: () => connection.close(),
    [Symbol.asyncDispose]: () => connection.close(),
  };
}

/** How a run's log ends: what the daemon does with the run at startup. */
export interface RecordedEnding {
  readonly events: number;
  /** "unfinished": no RunCompleted or RunFailed at the end (including an empty log): resume it. */
  readonly ending: "completed" | "failed" | "unfinished";
  readonly failure: RunFailure | null;
}

export async function recordedEnding(
  inspector: LogInspector,
  runId: string,
  runDirectory: string,
): Promise<RecordedEnding> {
  let last: RecordedEvent | undefined;
  for await (const recorded of inspector.read(runId, runDirectory, 1)) last = recorded;
  const events = last?.event.seq ?? 0;
  if (last?.event.type === "RunCompleted") return { events, ending: "completed", failure: null };
  if (last?.event.type === "RunFailed") {
    const { errorName, message } = last.event.payload;
    return { events, ending: "failed", failure: { name: errorName, message } };
  }
  return { events, ending: "unfinished", failure: null };
}
