import type { Command } from "commander";
import type { Logger } from "pino";
import { parseWorkerRoles, workerRoles } from "../../actors/index.ts";
import { createDaemonLogger } from "../../app/index.ts";
import {
  drainDeadlineMs,
  queueMaxDefault,
  readAuthToken,
  readDirectoriesDefault,
  type ServingDaemon,
  serveDaemon,
  stallLimitSecondsDefault,
  stallWindowMsDefault,
} from "../../daemon/index.ts";
import { positiveWholeNumber, wholeNumber } from "../option-parsers.ts";
import { systemClock } from "../ui/progress.ts";

interface DaemonFlags {
  readonly nats?: string;
  readonly httpPort: number;
  readonly httpHost: string;
  readonly runsDir: string;
  readonly queueMax: number;
  readonly stallWindowMs: number;
  readonly stallLimit: number;
  readonly localRoles?: string;
  readonly requestTimeoutMs?: number;
  readonly logFile?: string;
  readonly logLevel: string;
  readonly readDir?: string[];
  readonly authTokenFile?: string;
}

/** Resolves with the first SIGTERM/SIGINT; a second one while draining exits at once. */
function firstStopSignal(logger: Logger): Promise<string> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: string) => {
      if (received) {
        logger.warn({ signal }, `${signal} again while draining: exiting now; the run resumes from its log`);
        process.exit(1);
      }
      received = true;
      resolve(signal);
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  });
}

async function drainAndExit(serving: ServingDaemon, logger: Logger, signal: string): Promise<void> {
  logger.info(
    { signal },
    `${signal}: draining (no new runs; the running unit finishes; exit within ${drainDeadlineMs / 1000} s)`,
  );
  // Why: the last guard of the deadline; unref'd so it never keeps a finished daemon alive.
  const deadline = setTimeout(() => {
    logger.error("drain deadline passed: exiting; the cut unit is re-executed when the run resumes");
    process.exit(1);
  }, drainDeadlineMs);
  deadline.unref();
  const report = await serving.drain();
  if (!report.stoppedInTime) {
    logger.warn(
      report,
      `run ${report.stoppedRun} was still in its unit: exiting; the unit is re-executed on resume`,
    );
    process.exit(1);
  }
  clearTimeout(deadline);
  logger.info(report, `drained in ${report.seconds.toFixed(2)} s; exiting`);
}

export function registerDaemonCommand(program: Command): void {
  program
    .command("daemon")
    .description(
      "Serve runs over HTTP: accepts submissions (POST /runs, mmzero submit), runs them one at a time in submission order, exposes /healthz, /readyz and /metrics, drains on SIGTERM and resumes unfinished runs when started again.",
    )
    .option(
      "--nats <url>",
      "run on a NATS server (JetStream log and blobs, work over NATS) instead of the embedded default",
    )
    .option(
      "--http-port <port>",
      "HTTP port (0 picks a free one; the chosen URL is printed)",
      wholeNumber,
      7464,
    )
    .option(
      "--http-host <host>",
      "HTTP address to listen on (an address other than loopback needs --auth-token-file)",
      "127.0.0.1",
    )
    .option(
      "--auth-token-file <file>",
      "file holding a bearer token (16+ characters) that every request but /healthz and /readyz must send",
    )
    .option(
      "--read-dir <dir...>",
      `directories submitted configs may name files in (checkpoints, benchmarks, reward/GRPO files); default: ${readDirectoriesDefault.join(", ")}`,
    )
    .option("--runs-dir <dir>", "directory of run directories (submission.json, log, blobs)", "runs")
    .option(
      "--queue-max <n>",
      "most runs waiting to start; more submissions get 429",
      positiveWholeNumber,
      queueMaxDefault,
    )
    .option(
      "--stall-window-ms <ms>",
      "/readyz reports a run stalled after this long without an appended event or a new unit",
      positiveWholeNumber,
      stallWindowMsDefault,
    )
    .option(
      "--stall-limit <seconds>",
      "/healthz fails (so a supervisor restarts the daemon) after the running run makes no progress this long; 0: never",
      wholeNumber,
      stallLimitSecondsDefault,
    )
    .option(
      "--local-roles <roles>",
      `with --nats: actors this process hosts (comma-separated ${workerRoles.join(", ")}, or none); mmzero worker processes serve the rest`,
    )
    .option(
      "--request-timeout-ms <ms>",
      "with --nats: wait this long for a work reply before asking again",
      positiveWholeNumber,
    )
    .option("--log-file <path>", "append the JSON log lines to this file instead of stderr")
    .option("--log-level <level>", "pino level: trace, debug, info, warn, error", "info")
    .action(async (flags: DaemonFlags) => {
      const logger = createDaemonLogger({
        level: flags.logLevel,
        ...(flags.logFile === undefined ? {} : { file: flags.logFile }),
      });
      const authToken =
        flags.authTokenFile === undefined ? undefined : await readAuthToken(flags.authTokenFile);
      const stopSignal = firstStopSignal(logger);
      const serving = await serveDaemon({
        ...(flags.readDir === undefined ? {} : { readDirectories: flags.readDir }),
        ...(authToken === undefined ? {} : { authToken }),
        runsDirectory: flags.runsDir,
        httpPort: flags.httpPort,
        httpHost: flags.httpHost,
        queueMax: flags.queueMax,
        stallWindowMs: flags.stallWindowMs,
        stallLimitMs: flags.stallLimit * 1000,
        logger,
        clock: systemClock,
        monotonic: { nowMs: () => performance.now() }, // wall-clock-ok: readiness and latency metrics only
        ...(flags.nats === undefined ? {} : { natsUrl: flags.nats }),
        ...(flags.localRoles === undefined
          ? {}
          : { localRoles: parseWorkerRoles(flags.localRoles, { allowNone: true }) }),
        ...(flags.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: flags.requestTimeoutMs }),
      });
      logger.info({ url: serving.http.url, port: serving.http.port }, `listening on ${serving.http.url}`);
      process.stdout.write(`mmzero daemon listening on ${serving.http.url}\n`);
      await drainAndExit(serving, logger, await stopSignal);
    });
}
