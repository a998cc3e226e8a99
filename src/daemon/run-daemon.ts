import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import type { ProgressSink } from "../actors/index.ts";
import { DeterminismViolationError } from "../actors/index.ts";
import { describeNotice, type RecordedEvent } from "../store/index.ts";
import { readCancellation, writeCancellation } from "./cancellation.ts";
import type { RunExecutor, RunReport } from "./executor.ts";
import type { RunInputCheck } from "./input-files.ts";
import { type LogInspector, recordedEnding } from "./log-inspector.ts";
import { LogWatcher } from "./log-watcher.ts";
import { DaemonMetrics } from "./metrics.ts";
import { type Liveness, livenessOf, type Readiness, readinessOf } from "./readiness.ts";
import { type RunEntry, type RunFailure, type RunStatus, RunTable } from "./run-table.ts";
import { readSubmissions, resolveSubmission, writeSubmission } from "./submission.ts";
import {
  createTimedProgress,
  type MonotonicClock,
  type ScheduledUnit,
  unitLabelsByDescription,
} from "./unit-timing.ts";

/** The daemon is draining (SIGTERM): it takes no new work; the HTTP API answers 503. */
export class DaemonDrainingError extends Error {
  override readonly name = "DaemonDrainingError";
  constructor() {
    super("the daemon is draining before exit and takes no new runs; submit again once it has restarted");
  }
}

/** No run has this id in this daemon: 404. */
export class UnknownRunError extends Error {
  override readonly name = "UnknownRunError";
  constructor(readonly runId: string) {
    super(`no run ${runId} in this daemon; GET /runs lists them`);
  }
}

/** The run already completed or failed: there is nothing to cancel (409). */
export class RunAlreadyEndedError extends Error {
  override readonly name = "RunAlreadyEndedError";
  constructor(
    readonly runId: string,
    readonly status: RunStatus,
  ) {
    super(`run ${runId} is already ${status}: there is nothing to cancel`);
  }
}

export interface DaemonOptions {
  /** Holds `<runId>/submission.json` and, on the embedded default, each run's log and blobs. */
  readonly runsDirectory: string;
  readonly executor: RunExecutor;
  readonly inspector: LogInspector;
  readonly logger: Logger;
  readonly clock: MonotonicClock;
  /** Most runs waiting to start; a submission beyond it is refused (QueueFullError). */
  readonly queueMax: number;
  /** Longest quiet time of a running run before /readyz reports it stalled. */
  readonly stallWindowMs: number;
  /** Refuses a submission whose input files the daemon may not read (input-files.ts), before it is persisted. */
  readonly checkInputs: RunInputCheck;
  /** Quiet time of a running run after which /healthz fails (a supervisor restarts the daemon); 0: never. */
  readonly stallLimitMs: number;
}

/** What `DELETE /runs/<id>` did: "cancelled" at once (queued), or "cancelling" (running: stops after its current unit). */
export interface CancelOutcome {
  readonly outcome: "cancelled" | "cancelling";
  readonly run: RunView;
}

export interface SubmitOutcome {
  readonly runId: string;
  readonly status: RunStatus;
  /** False when the run was already known: nothing new was started (idempotent submission). */
  readonly created: boolean;
}

/** A run as the HTTP API shows it. */
export interface RunView {
  readonly runId: string;
  readonly preset: string;
  readonly sequence: number;
  readonly status: RunStatus;
  readonly events: number;
  readonly failure: RunFailure | null;
  /** 1 = next to start; null unless queued. */
  readonly queuePosition: number | null;
  /** The schedule unit in progress (running runs only). */
  readonly currentUnit: string | null;
  readonly lastEventType: string | null;
  /** A running run asked to cancel: it stops after its current unit and ends "cancelled". */
  readonly cancelRequested: boolean;
  readonly runDirectory: string;
}

interface ActiveRun {
  readonly runId: string;
  readonly stop: AbortController;
  lastProgressMs: number;
  currentUnit: string | null;
  lastEventType: string | null;
  events: number;
  watcher: LogWatcher | null;
  cancelRequested: boolean;
}

function failureOf(error: unknown): RunFailure {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: "Error", message: String(error) };
}

/**
 * The daemon's core: accepts submissions (persisted before they are acknowledged), runs them one at
 * a time in submission order, feeds metrics and readiness, and drains. No HTTP, no signals: the
 * HTTP API and the `mmzero daemon` command drive it.
 */
export class RunDaemon {
  readonly metrics: DaemonMetrics;
  readonly #options: DaemonOptions;
  readonly #table: RunTable;
  readonly #writing = new Map<string, Promise<void>>();
  #active: ActiveRun | null = null;
  #running: Promise<void> | null = null;
  #started = false;
  #draining = false;

  private constructor(options: DaemonOptions) {
    this.#options = options;
    this.#table = new RunTable(options.queueMax);
    this.metrics = new DaemonMetrics({
      consumerLag: async () => (await this.#active?.watcher?.lag()) ?? 0,
      runCounts: () => this.#runCounts(),
    });
  }

  /** Opens the runs directory and learns every run in it: unfinished ones are queued to resume. */
  static async open(options: DaemonOptions): Promise<RunDaemon> {
    const daemon = new RunDaemon({ ...options, runsDirectory: resolve(options.runsDirectory) });
    await daemon.#restore();
    return daemon;
  }

  get runsDirectory(): string {
    return this.#options.runsDirectory;
  }

  get draining(): boolean {
    return this.#draining;
  }

  /** Starts executing queued runs (restored ones first, in submission order). */
  start(): void {
    this.#started = true;
    this.#pump();
  }

  /**
   * Accepts a submission (the POST /runs body). Idempotent: a run already known (same resolved
   * config, so the same run id) is returned as it is. The submission is on disk before this resolves.
   */
  async submit(body: unknown): Promise<SubmitOutcome> {
    if (this.#draining) throw new DaemonDrainingError();
    const submission = resolveSubmission(body);
    await this.#options.checkInputs(submission.config);
    const { runId } = submission;
    const writing = this.#writing.get(runId);
    if (writing !== undefined) await writing;
    const known = this.#table.get(runId);
    if (known !== undefined) return { runId, status: known.status, created: false };
    const entry = this.#table.admit({
      runId,
      preset: submission.preset,
      sequence: this.#table.nextSequence(),
      config: submission.config,
    });
    const persisted = this.#persist(entry, submission.overrides);
    this.#writing.set(runId, persisted);
    try {
      await persisted;
    } finally {
      this.#writing.delete(runId);
    }
    this.#options.logger.info(
      { runId, sequence: entry.sequence, waiting: this.#table.waitingCount() },
      `run ${runId} accepted (${this.#table.waitingCount()} waiting)`,
    );
    this.#pump();
    return { runId, status: this.#table.get(runId)!.status, created: true };
  }

  view(runId: string): RunView | undefined {
    const entry = this.#table.get(runId);
    return entry === undefined ? undefined : this.#viewOf(entry);
  }

  list(): RunView[] {
    return this.#table.list().map((entry) => this.#viewOf(entry));
  }

  readiness(): Readiness {
    const active = this.#active;
    return readinessOf({
      draining: this.#draining,
      running: active === null ? null : { runId: active.runId, lastProgressMs: active.lastProgressMs },
      waiting: this.#table.waitingCount(),
      nowMs: this.#options.clock.nowMs(),
      stallWindowMs: this.#options.stallWindowMs,
    });
  }

  liveness(): Liveness {
    const active = this.#active;
    return livenessOf({
      running: active === null ? null : { runId: active.runId, lastProgressMs: active.lastProgressMs },
      nowMs: this.#options.clock.nowMs(),
      stallLimitMs: this.#options.stallLimitMs,
    });
  }

  /**
   * Cancels a run for good (`DELETE /runs/<id>`): a queued run leaves the queue at once; a running
   * one is asked to stop before its next unit (as a drain does) and ends "cancelled". The
   * cancellation is on disk (`cancelled.json`) before this resolves, so a restart does not resume
   * the run. Cancelling a cancelled run answers the same again; a finished one is refused.
   */
  async cancel(runId: string): Promise<CancelOutcome> {
    // Why: a submission still being written is not yet a run that can be cancelled or started.
    await this.#writing.get(runId)?.catch(() => undefined);
    const entry = this.#table.get(runId);
    if (entry === undefined) throw new UnknownRunError(runId);
    if (entry.status === "completed" || entry.status === "failed")
      throw new RunAlreadyEndedError(runId, entry.status);
    const alreadyCancelling = this.#active?.runId === runId && this.#active.cancelRequested;
    if (entry.status !== "cancelled" && !alreadyCancelling) {
      await writeCancellation(join(this.#options.runsDirectory, runId), {
        format: 1,
        runId,
        cancelledWhile: entry.status,
      });
    }
    // The write yielded: act on the run as it is now (it may have started, or ended, meanwhile).
    const now = this.#table.get(runId)!;
    if (now.status === "queued" || now.status === "stopped") {
      this.#table.cancel(runId);
      this.#options.logger.info({ runId, was: now.status }, `run ${runId} cancelled while ${now.status}`);
      this.#pump();
    }
    const active = this.#active?.runId === runId ? this.#active : null;
    if (active !== null && !active.cancelRequested) {
      active.cancelRequested = true;
      active.stop.abort();
      this.#options.logger.info(
        { runId, unit: active.currentUnit },
        `run ${runId} cancelling: it stops after its current unit (${active.currentUnit ?? "starting"})`,
      );
    }
    const view = this.#viewOf(this.#table.get(runId)!);
    if (view.status === "completed" || view.status === "failed")
      throw new RunAlreadyEndedError(runId, view.status);
    return { outcome: view.status === "cancelled" ? "cancelled" : "cancelling", run: view };
  }

  /**
   * Stops taking work and asks the running run to stop before its next unit; waits up to `waitMs`
   * for it. Queued runs stay on disk and start when the daemon starts again.
   */
  async drain(waitMs: number): Promise<{ stoppedRun: string | null; stoppedInTime: boolean }> {
    this.#draining = true;
    const active = this.#active;
    active?.stop.abort();
    if (active !== null)
      this.#options.logger.info(
        { runId: active.runId },
        `draining: run ${active.runId} stops after its current unit`,
      );
    const running = this.#running;
    const stoppedInTime = running === null ? true : await settlesWithin(running, waitMs);
    await this.#options.inspector.close();
    return { stoppedRun: active?.runId ?? null, stoppedInTime };
  }

  async #restore(): Promise<void> {
    const { runsDirectory, inspector, logger } = this.#options;
    await mkdir(runsDirectory, { recursive: true });
    const { submissions, unreadable } = await readSubmissions(runsDirectory);
    for (const problem of unreadable)
      logger.warn(
        problem,
        `skipping ${problem.directory}: its submission cannot be read (${problem.reason})`,
      );
    for (const submission of submissions) {
      const runDirectory = join(runsDirectory, submission.runId);
      let restored: Pick<RunEntry, "status" | "events" | "failure">;
      try {
        const recorded = await recordedEnding(inspector, submission.runId, runDirectory);
        // The log's end wins: a run that completed (or failed) in the unit it was cancelled in has ended so.
        const status =
          recorded.ending !== "unfinished"
            ? recorded.ending
            : (await readCancellation(runDirectory)) === null
              ? "queued"
              : "cancelled";
        restored = { status, events: recorded.events, failure: recorded.failure };
      } catch (error) {
        restored = { status: "failed", events: 0, failure: failureOf(error) };
        logger.error(
          { runId: submission.runId, err: error },
          `run ${submission.runId}: its log or cancellation record cannot be read`,
        );
      }
      this.#table.restore({
        runId: submission.runId,
        preset: submission.preset,
        sequence: submission.sequence,
        config: submission.config,
        ...restored,
      });
    }
    const waiting = this.#table.waitingCount();
    logger.info(
      { runs: submissions.length, unfinished: waiting },
      `found ${submissions.length} run(s) in ${runsDirectory}; ${waiting} unfinished will resume in submission order`,
    );
  }

  async #persist(entry: RunEntry, overrides: Readonly<Record<string, unknown>> | null): Promise<void> {
    try {
      await writeSubmission(join(this.#options.runsDirectory, entry.runId), {
        format: 1,
        runId: entry.runId,
        sequence: entry.sequence,
        preset: entry.preset,
        overrides,
        config: entry.config,
      });
    } catch (error) {
      this.#table.withdraw(entry.runId);
      throw error;
    }
    this.#table.confirm(entry.runId);
  }

  #pump(): void {
    if (!this.#started || this.#draining || this.#running !== null) return;
    const next = this.#table.takeNext();
    if (next === undefined) return;
    this.#running = this.#execute(next)
      .catch((error: unknown) =>
        this.#options.logger.error({ err: error }, "the run executor failed unexpectedly"),
      )
      .finally(() => {
        this.#running = null;
        this.#pump();
      });
  }

  async #execute(entry: RunEntry): Promise<void> {
    const { logger, clock } = this.#options;
    const active: ActiveRun = {
      runId: entry.runId,
      stop: new AbortController(),
      lastProgressMs: clock.nowMs(),
      currentUnit: null,
      lastEventType: null,
      events: entry.events,
      watcher: null,
      cancelRequested: false,
    };
    this.#active = active;
    logger.info(
      { runId: entry.runId, events: entry.events },
      `run ${entry.runId} starts (${entry.events} events in its log)`,
    );
    const units = unitLabelsByDescription(entry.config);
    this.metrics.startRun(entry.runId, units.size);
    const progress = createTimedProgress(
      units,
      clock,
      (labels, seconds) => this.metrics.observeUnit(labels, seconds),
      this.#progressLog(active, units),
    );
    const report = await this.#options
      .executor({
        runId: entry.runId,
        config: entry.config,
        runDirectory: join(this.#options.runsDirectory, entry.runId),
        stopSignal: active.stop.signal,
        progress,
        onLogOpened: async (log) => {
          // A retried run opens its log again: the previous tail is finished first (nothing missed).
          await this.#finishWatching(active, entry);
          active.watcher = await LogWatcher.follow(
            log,
            (recorded) => this.#observe(active, recorded),
            (error) =>
              logger.warn({ runId: entry.runId, err: error }, "the metrics tail of the run's log failed"),
          );
          active.events = active.watcher.lastSeq;
        },
        onLogNotice: (notice) => {
          this.metrics.countLogRepair(notice);
          logger.warn({ runId: entry.runId, notice }, `run ${entry.runId}: ${describeNotice(notice)}`);
        },
      })
      .catch((error: unknown): RunReport => ({ status: "failed", failure: failureOf(error) }));
    progress.finish(report.status !== "failed");
    await this.#finishWatching(active, entry);
    if (report.failure?.name === DeterminismViolationError.name) this.metrics.countDivergence();
    if (report.status === "completed") this.metrics.runCompleted();
    // A run asked to cancel that stopped between units is cancelled (a drain in between changes nothing).
    const status = report.status === "stopped" && active.cancelRequested ? "cancelled" : report.status;
    this.#table.finish(entry.runId, { status, events: active.events, failure: report.failure });
    this.#active = null;
    logRunEnd(logger, entry.runId, { ...report, status }, active.events);
  }

  /** Closes the tail and reads what it had not delivered when the log closed, so metrics miss nothing. */
  async #finishWatching(active: ActiveRun, entry: RunEntry): Promise<void> {
    const watcher = active.watcher;
    if (watcher === null) return;
    await watcher.close();
    try {
      const runDirectory = join(this.#options.runsDirectory, entry.runId);
      for await (const recorded of this.#options.inspector.read(
        entry.runId,
        runDirectory,
        watcher.lastSeq + 1,
      ))
        this.#observe(active, recorded);
    } catch (error) {
      this.#options.logger.warn({ runId: entry.runId, err: error }, "could not read the run's last events");
    }
  }

  #observe(active: ActiveRun, recorded: RecordedEvent): void {
    assert(recorded.event.seq > active.events, `event seq ${recorded.event.seq} observed twice`);
    active.events = recorded.event.seq;
    active.lastEventType = recorded.event.type;
    active.lastProgressMs = this.#options.clock.nowMs();
    this.metrics.observeEvent(recorded.event);
  }

  #progressLog(active: ActiveRun, units: ReadonlyMap<string, ScheduledUnit>): ProgressSink {
    const { logger, clock } = this.#options;
    const metrics = this.metrics;
    return {
      unit(description) {
        active.currentUnit = description;
        active.lastProgressMs = clock.nowMs();
        const position = units.get(description)?.position;
        if (position !== undefined) metrics.unitStarted(position);
        logger.info({ runId: active.runId, unit: description }, `run ${active.runId}: ${description}`);
      },
      metrics(label, values) {
        logger.info({ runId: active.runId, label, values }, `run ${active.runId}: ${label}`);
      },
    };
  }

  #viewOf(entry: RunEntry): RunView {
    const active = this.#active?.runId === entry.runId ? this.#active : null;
    return {
      runId: entry.runId,
      preset: entry.preset,
      sequence: entry.sequence,
      status: entry.status,
      events: active?.events ?? entry.events,
      failure: entry.failure,
      queuePosition: this.#table.positionOf(entry.runId),
      currentUnit: active?.currentUnit ?? null,
      lastEventType: active?.lastEventType ?? null,
      cancelRequested: active?.cancelRequested ?? false,
      runDirectory: join(this.#options.runsDirectory, entry.runId),
    };
  }

  #runCounts(): Record<RunStatus, number> {
    const counts: Record<RunStatus, number> = {
      queued: 0,
      running: 0,
      completed: 0,
      failed: 0,
      stopped: 0,
      cancelled: 0,
    };
    for (const entry of this.#table.list()) counts[entry.status] += 1;
    return counts;
  }
}

function logRunEnd(
  logger: Logger,
  runId: string,
  report: { readonly status: RunStatus; readonly failure: RunFailure | null },
  events: number,
): void {
  const fields = { runId, status: report.status, events, failure: report.failure };
  if (report.status === "completed") logger.info(fields, `run ${runId} completed (${events} events)`);
  else if (report.status === "stopped")
    logger.info(
      fields,
      `run ${runId} stopped between units (${events} events); it resumes on the next start`,
    );
  else if (report.status === "cancelled")
    logger.info(fields, `run ${runId} cancelled between units (${events} events); it will not resume`);
  else logger.error(fields, `run ${runId} failed: ${report.failure?.name}: ${report.failure?.message}`);
}

/** True if `promise` settles within `waitMs`; the timer is cancelled either way. */
async function settlesWithin(promise: Promise<unknown>, waitMs: number): Promise<boolean> {
  const cancel = new AbortController();
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      sleep(waitMs, false, { signal: cancel.signal }),
    ]);
  } finally {
    cancel.abort();
  }
}
