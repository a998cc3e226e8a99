import { setTimeout as sleep } from "node:timers/promises";
import type { Clock, ProgressSink, WorkerRole } from "../actors/index.ts";
import { type ObservedLog, runSession } from "../app/index.ts";
import type { RunConfig } from "../config/index.ts";
import type { SelectedBackend } from "../gpu/index.ts";
import type { FileLogNotice } from "../store/index.ts";
import type { RunInputCheck } from "./input-files.ts";
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
  /** Told about every repair made while opening the run's file log. */
  readonly onLogNotice?: (notice: FileLogNotice) => void;
}

export interface RunReport {
  readonly status: "completed" | "failed" | "stopped";
  /** `recoverable`: a fault of the environment, not recorded in the log; resuming can succeed. */
  readonly failure: (RunFailure & { readonly recoverable?: boolean }) | null;
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
  /** Told what an acknowledged event means on the NATS server, when a run opens its log there. */
  readonly onWarning?: (warning: string) => void;
  /** Retries of recoverable failures. @default retryPolicyDefault */
  readonly retry?: RetryPolicy;
  /** Told before each retry (logs, metrics). */
  readonly onRetry?: (retry: RetryNotice) => void;
  /** Checked again before each run starts: a submission persisted earlier, or a file changed since. */
  readonly checkInputs: RunInputCheck;
}

export interface RetryPolicy {
  /** Resumes after a recoverable failure before the run is reported failed. */
  readonly attemptsMax: number;
  /** The first wait; it doubles per retry up to delayMaxMs. */
  readonly delayMinMs: number;
  readonly delayMaxMs: number;
}

/**
 * Why these: a full disk or a restarting server needs seconds to minutes to come back; five resumes
 * over about five minutes cover that, and a fault that outlasts them needs an operator.
 */
export const retryPolicyDefault: RetryPolicy = { attemptsMax: 5, delayMinMs: 5_000, delayMaxMs: 120_000 };

export interface RetryNotice {
  readonly runId: string;
  /** 1 for the first retry. */
  readonly attempt: number;
  readonly delayMs: number;
  readonly failure: RunFailure;
}

/** The wait before retry `attempt` (1-based): delayMinMs doubled per earlier retry, capped. */
export function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.delayMaxMs, policy.delayMinMs * 2 ** Math.min(attempt - 1, 30));
}

/**
 * Resumes a run that failed recoverably (nothing of the failure is in its log, so the resumed run
 * ends as a fault-free one would), after a growing wait, up to `policy.attemptsMax` times; then the
 * last failure is the report. A stop during the wait ends the run "stopped", like a drain.
 */
export function withRetries(
  execute: RunExecutor,
  policy: RetryPolicy,
  onRetry: (retry: RetryNotice) => void = () => {},
): RunExecutor {
  return async (request) => {
    let report = await execute(request);
    for (let attempt = 1; attempt <= policy.attemptsMax; attempt++) {
      const failure = report.failure;
      if (report.status !== "failed" || failure?.recoverable !== true) return report;
      const delayMs = retryDelayMs(policy, attempt);
      onRetry({ runId: request.runId, attempt, delayMs, failure });
      try {
        await sleep(delayMs, undefined, { signal: request.stopSignal });
      } catch {
        return { status: "stopped", failure: null };
      }
      report = await execute(request);
    }
    return report;
  };
}

/**
 * The production executor: `runSession` with `resume: true`, always, retrying recoverable failures
 * (withRetries). A daemon's run directory is
 * its own, so an existing log is this run's, cut by a drain or a crash: it is folded, the cut unit
 * re-executed and already-recorded events checked by content.
 */
export function createSessionExecutor(settings: SessionExecutorSettings): RunExecutor {
  return withRetries(sessionExecutor(settings), settings.retry ?? retryPolicyDefault, settings.onRetry);
}

function sessionExecutor(settings: SessionExecutorSettings): RunExecutor {
  return async (request) => {
    await settings.checkInputs(request.config);
    const result = await runSession({
      config: request.config,
      outDir: request.runDirectory,
      ...(settings.natsUrl === undefined ? {} : { natsUrl: settings.natsUrl }),
      ...(settings.localRoles === undefined ? {} : { localRoles: settings.localRoles }),
      ...(settings.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: settings.requestTimeoutMs }),
      ...(settings.onBackend === undefined ? {} : { onBackend: settings.onBackend }),
      ...(settings.onWarning === undefined ? {} : { onWarning: settings.onWarning }),
      resume: true,
      progress: request.progress,
      clock: settings.clock,
      stopSignal: request.stopSignal,
      onLogOpened: request.onLogOpened,
      ...(request.onLogNotice === undefined ? {} : { onLogNotice: request.onLogNotice }),
    });
    return { status: result.status, failure: result.failure };
  };
}
