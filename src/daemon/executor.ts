import type { Clock, ProgressSink, WorkerRole } from "../actors/index.ts";
import { type ObservedLog, runSession } from "../app/index.ts";
import type { RunConfig } from "../config/index.ts";
import type { SelectedBackend } from "../gpu/index.ts";
import type { RunFailure } from "./run-table.ts";

/** What the daemon asks of whatever executes a run. */
export interface RunRequest {
  readonly runId: string;
  readonly config: RunConfig;
  readonly runDirectory: string;
  /** Aborted on drain: the run stops before its next schedule unit and reports "stopped". */
  readonly stopSignal: AbortSignal;
  readonly progress: ProgressSink;
  /** Awaited once the run's log is open, before anything is recorded (the daemon starts its tail). */
  readonly onLogOpened: (log: ObservedLog) => Promise<void>;
}

export interface RunReport {
  readonly status: "completed" | "failed" | "stopped";
  readonly failure: RunFailure | null;
}

/** Executes (or resumes) one run to its end; a thrown error counts as a failed run. */
export type RunExecutor = (request: RunRequest) => Promise<RunReport>;

export interface SessionExecutorSettings {
  /** Runs on NATS (JetStream log and blobs, work over NATS); without it, the embedded default. */
  readonly natsUrl?: string;
  /** Actors the daemon hosts itself; `mmzero worker` processes on the same NATS serve the rest. */
  readonly localRoles?: readonly WorkerRole[];
  readonly requestTimeoutMs?: number;
  /** The wall clock for events' `at` metadata. */
  readonly clock: Clock;
  readonly onBackend?: (backend: SelectedBackend) => void;
}

/**
 * The production executor: `runSession` with `resume: true`, always. A daemon's run directory is
 * its own, so an existing log is this run's, cut by a drain or a crash: it is folded, the cut unit
 * re-executed and already-recorded events checked by content.
 */
export function createSessionExecutor(settings: SessionExecutorSettings): RunExecutor {
  return async (request) => {
    const result = await runSession({
      config: request.config,
      outDir: request.runDirectory,
      ...(settings.natsUrl === undefined ? {} : { natsUrl: settings.natsUrl }),
      ...(settings.localRoles === undefined ? {} : { localRoles: settings.localRoles }),
      ...(settings.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: settings.requestTimeoutMs }),
      ...(settings.onBackend === undefined ? {} : { onBackend: settings.onBackend }),
      resume: true,
      progress: request.progress,
      clock: settings.clock,
      stopSignal: request.stopSignal,
      onLogOpened: request.onLogOpened,
    });
    return { status: result.status, failure: result.failure };
  };
}
