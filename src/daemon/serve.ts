import type { Logger } from "pino";
import type { SelectedBackend } from "../gpu/index.ts";
import { createSessionExecutor, type SessionExecutorSettings } from "./executor.ts";
import { type HttpApi, startHttpApi } from "./http-api.ts";
import { confineRunInputs, readDirectoriesDefault, resolveReadDirectories } from "./input-files.ts";
import { createFileLogInspector, createNatsLogInspector } from "./log-inspector.ts";
import { RunDaemon } from "./run-daemon.ts";
import type { MonotonicClock } from "./unit-timing.ts";

/** Why: a supervisor (systemd, Kubernetes) sends SIGKILL 30 s after SIGTERM by default. */
export const drainDeadlineMs = 30_000;
/** How long a drain waits for the running unit; the rest of drainDeadlineMs is for flush and close. */
export const runStopWaitMs = 25_000;
/** Why: a smoke unit takes milliseconds and a full-size unit minutes; 10 minutes of silence is a hang. */
export const stallWindowMsDefault = 10 * 60 * 1000;
/**
 * Why: a restart costs the cut unit (re-executed on resume), so liveness waits three readiness
 * windows: a hang, not a long benchmark. In seconds, as `--stall-limit` takes it.
 */
export const stallLimitSecondsDefault = 30 * 60;
/** Why: enough to line up a day of runs, few enough that a client storm is refused early. */
export const queueMaxDefault = 16;

export interface ServeOptions
  extends Omit<SessionExecutorSettings, "onBackend" | "onWarning" | "onRetry" | "checkInputs"> {
  readonly runsDirectory: string;
  /** The only directories submitted configs may name files in (input-files.ts). @default readDirectoriesDefault */
  readonly readDirectories?: readonly string[];
  /** Bearer token every HTTP request but the probes must carry; required off loopback (auth.ts). */
  readonly authToken?: string;
  /** 0 picks a free port. */
  readonly httpPort: number;
  readonly httpHost?: string;
  readonly queueMax: number;
  readonly stallWindowMs: number;
  /** /healthz fails after a running run is quiet this long; 0: never. */
  readonly stallLimitMs: number;
  readonly logger: Logger;
  /** Monotonic time for readiness and unit latencies. */
  readonly monotonic: MonotonicClock;
}

export interface DrainReport {
  /** The run that was stopped between units, or null when the daemon was idle. */
  readonly stoppedRun: string | null;
  /** False when the running unit did not finish within runStopWaitMs: exit anyway, it is re-executed on resume. */
  readonly stoppedInTime: boolean;
  readonly seconds: number;
}

export interface ServingDaemon {
  readonly daemon: RunDaemon;
  readonly http: HttpApi;
  /** Stops taking work, lets the running unit finish, closes the HTTP API. */
  drain(): Promise<DrainReport>;
}

function logBackend(logger: Logger, backend: SelectedBackend): void {
  logger.info(
    { backend: backend.info, reason: backend.reason },
    `backend ${backend.info.name} ${backend.info.version} (${backend.reason})`,
  );
}

/** Opens the runs directory, resumes unfinished runs and serves the HTTP API. */
export async function serveDaemon(options: ServeOptions): Promise<ServingDaemon> {
  const { logger } = options;
  const checkInputs = confineRunInputs(
    await resolveReadDirectories(options.readDirectories ?? readDirectoriesDefault),
  );
  const inspector =
    options.natsUrl === undefined ? createFileLogInspector() : await createNatsLogInspector(options.natsUrl);
  let daemon: RunDaemon;
  let http: HttpApi;
  try {
    daemon = await RunDaemon.open({
      runsDirectory: options.runsDirectory,
      executor: createSessionExecutor({
        ...options,
        checkInputs,
        onBackend: (backend) => logBackend(logger, backend),
        onWarning: (warning) => logger.warn(warning),
        onRetry: (retry) => {
          logger.warn(
            retry,
            `run ${retry.runId}: recoverable ${retry.failure.name}; resuming in ${retry.delayMs / 1000} s (retry ${retry.attempt})`,
          );
          daemon.metrics.countRetry(retry.failure.name);
        },
      }),
      inspector,
      logger,
      clock: options.monotonic,
      queueMax: options.queueMax,
      stallWindowMs: options.stallWindowMs,
      checkInputs,
      stallLimitMs: options.stallLimitMs,
    });
    http = await startHttpApi(daemon, {
      port: options.httpPort,
      logger,
      ...(options.authToken === undefined ? {} : { authToken: options.authToken }),
      ...(options.httpHost === undefined ? {} : { host: options.httpHost }),
    });
  } catch (error) {
    await inspector.close();
    throw error;
  }
  daemon.start();
  return {
    daemon,
    http,
    async drain() {
      const startedMs = options.monotonic.nowMs();
      const { stoppedRun, stoppedInTime } = await daemon.drain(runStopWaitMs);
      await http.close();
      return { stoppedRun, stoppedInTime, seconds: (options.monotonic.nowMs() - startedMs) / 1000 };
    },
  };
}
