import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { eventTypes, type MmzeroEvent, type PayloadOf, type PolicyRole, payloads } from "../events/index.ts";
import type { FileLogNotice } from "../store/index.ts";
import { addRewardSample, type RewardWindow, rewardMeans } from "./reward-means.ts";
import { type RunStatus, runStatuses } from "./run-table.ts";
import type { UnitLabels } from "./unit-timing.ts";

/** What the metrics read at scrape time (kept cheap: no log reads). */
export interface MetricSources {
  /** Events in the running run's log not yet seen by the daemon's tail (0 when idle). */
  consumerLag(): Promise<number>;
  runCounts(): Readonly<Record<RunStatus, number>>;
}

/** Why these bounds: a smoke unit takes milliseconds, a full-size GRPO step or benchmark minutes. */
const unitDurationBucketsSeconds = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/** The outcome label of a successful render; failures use their RenderOutcomeKind. */
export const renderedOutcome = "rendered";
const logRepairKinds: readonly FileLogNotice["kind"][] = [
  "torn-tail-truncated",
  "stale-lock-removed",
  "head-file-created",
];

/**
 * The daemon's Prometheus metrics (prom-client, its own registry). Event-driven ones are fed by the
 * tail of the running run's log, unit latencies and progress by the run's progress sink; scrapes only
 * format. Known label values start at 0 so every series exists from the first scrape. Run-scoped
 * gauges (reward means, benchmark accuracy, GRPO loss and KL, progress) describe the running run, or
 * the last one once it ended, and are cleared when the next run starts, so no value of one run is
 * read as another's.
 */
export class DaemonMetrics {
  readonly registry = new Registry();
  readonly #eventsAppended: Counter<"type">;
  readonly #unitDuration: Histogram<"actor" | "unit_kind">;
  readonly #rewardMean: Gauge<"role" | "component">;
  readonly #renderOutcomes: Counter<"outcome">;
  readonly #replayDivergences: Counter<"source">;
  readonly #runRetries: Counter<"error">;
  readonly #logRepairs: Counter<"kind">;
  readonly #benchmarkAccuracy: Gauge<"run_id">;
  readonly #grpoLoss: Gauge<"role">;
  readonly #grpoKl: Gauge<"role">;
  readonly #unitsDone: Gauge<"run_id">;
  readonly #unitsScheduled: Gauge<"run_id">;
  readonly #rewardWindows = new Map<PolicyRole, RewardWindow>();
  #progress: { runId: string; scheduled: number } | null = null;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    // Why no prefix: process_cpu_seconds_total, nodejs_heap_size_used_bytes... are the names that
    // dashboards and alerts for any Node process already use; the job label says it is the daemon.
    collectDefaultMetrics({ register: this.registry });
    this.#eventsAppended = new Counter({
      name: "mmzero_events_appended_total",
      help: "Events appended to run logs by this daemon, by event type (events a resume matched are not counted).",
      labelNames: ["type"],
      registers,
    });
    for (const type of eventTypes) this.#eventsAppended.inc({ type }, 0);
    this.#unitDuration = new Histogram({
      name: "mmzero_unit_duration_seconds",
      help: "Wall time of each schedule unit (one GRPO step, phase boundary, benchmark evaluation), by acting role and unit kind.",
      labelNames: ["actor", "unit_kind"],
      buckets: unitDurationBucketsSeconds,
      registers,
    });
    this.#rewardMean = new Gauge({
      name: "mmzero_reward_component_mean",
      help: "Mean of each reward component (and the total) over the latest step's RewardScored events, by role.",
      labelNames: ["role", "component"],
      registers,
    });
    this.#renderOutcomes = new Counter({
      name: "mmzero_render_outcomes_total",
      help: `Render outcomes of Coder samples: "${renderedOutcome}" (ImageRendered) or the RenderFailed kind.`,
      labelNames: ["outcome"],
      registers,
    });
    for (const outcome of [renderedOutcome, ...payloads.RenderOutcomeKind.literals])
      this.#renderOutcomes.inc({ outcome }, 0);
    new Gauge({
      name: "mmzero_consumer_lag_events",
      help: "Events in the running run's log that the daemon's metrics tail has not read yet.",
      labelNames: ["consumer"],
      registers,
      async collect() {
        this.set({ consumer: "metrics" }, await sources.consumerLag());
      },
    });
    this.#replayDivergences = new Counter({
      name: "mmzero_replay_divergences_total",
      help: "Replay divergences found by this daemon: a resumed run whose re-executed unit produced events that differ from the recorded ones (DeterminismViolationError). Full verification is `mmzero replay --mode verify`.",
      labelNames: ["source"],
      registers,
    });
    this.#replayDivergences.inc({ source: "resume" }, 0);
    this.#runRetries = new Counter({
      name: "mmzero_run_retries_total",
      help: "Resumes after a recoverable failure (a full disk, a missing blob, a worker or server timeout), by error name. Such failures are not in the run's log, so this is where they are counted.",
      labelNames: ["error"],
      registers,
    });
    this.#logRepairs = new Counter({
      name: "mmzero_log_repairs_total",
      help: "Repairs made while opening a run's file log, by kind: a torn last record cut off, a dead writer's lock removed, a missing head file written.",
      labelNames: ["kind"],
      registers,
    });
    for (const kind of logRepairKinds) this.#logRepairs.inc({ kind }, 0);
    new Gauge({
      name: "mmzero_runs",
      help: "Runs known to this daemon, by status.",
      labelNames: ["status"],
      registers,
      collect() {
        const counts = sources.runCounts();
        for (const status of runStatuses) this.set({ status }, counts[status]);
      },
    });
    this.#benchmarkAccuracy = new Gauge({
      name: "mmzero_benchmark_accuracy",
      help: "Overall accuracy (correct / total, 0..1) of the Solver in the run's latest BenchmarkEvaluated event.",
      // Why a label: a gauge without labels reads 0 after a reset, an accuracy no run measured.
      labelNames: ["run_id"],
      registers,
    });
    this.#grpoLoss = new Gauge({
      name: "mmzero_grpo_loss",
      help: "GRPO loss (policy loss + KL coefficient * KL, the minimised scalar) of the role's latest PolicyUpdated event.",
      labelNames: ["role"],
      registers,
    });
    this.#grpoKl = new Gauge({
      name: "mmzero_grpo_kl",
      help: "KL divergence to the reference policy (before its coefficient) in the role's latest PolicyUpdated event.",
      labelNames: ["role"],
      registers,
    });
    this.#unitsDone = new Gauge({
      name: "mmzero_run_units_done",
      help: "Schedule units of the run that are done (all units before the one in progress; all of them once the run completed).",
      labelNames: ["run_id"],
      registers,
    });
    this.#unitsScheduled = new Gauge({
      name: "mmzero_run_units_scheduled",
      help: "Schedule units of the run in all (steps, phase and iteration boundaries, evaluations).",
      labelNames: ["run_id"],
      registers,
    });
  }

  /** A run starts (or resumes): the run-scoped gauges are cleared and its progress starts. */
  startRun(runId: string, unitsScheduled: number): void {
    for (const gauge of [this.#rewardMean, this.#benchmarkAccuracy, this.#grpoLoss, this.#grpoKl])
      gauge.reset();
    this.#unitsDone.reset();
    this.#unitsScheduled.reset();
    this.#rewardWindows.clear();
    this.#progress = { runId, scheduled: unitsScheduled };
    this.#unitsScheduled.set({ run_id: runId }, unitsScheduled);
    this.#unitsDone.set({ run_id: runId }, 0);
  }

  /** A unit at `position` (0-based) in the schedule starts: every unit before it is done. */
  unitStarted(position: number): void {
    if (this.#progress !== null) this.#unitsDone.set({ run_id: this.#progress.runId }, position);
  }

  /** The run completed: every unit is done. */
  runCompleted(): void {
    if (this.#progress !== null)
      this.#unitsDone.set({ run_id: this.#progress.runId }, this.#progress.scheduled);
  }

  /** An event appended to the running run's log. */
  observeEvent(event: MmzeroEvent): void {
    this.#eventsAppended.inc({ type: event.type });
    if (event.type === "ImageRendered") this.#renderOutcomes.inc({ outcome: renderedOutcome });
    if (event.type === "RenderFailed") this.#renderOutcomes.inc({ outcome: event.payload.outcome });
    if (event.type === "RewardScored") this.#observeReward(event.payload);
    if (event.type === "BenchmarkEvaluated") {
      const { correct, total } = event.payload.overall;
      // Why skip total 0: an empty benchmark has no accuracy, and 0/0 is not one.
      if (total > 0) this.#benchmarkAccuracy.set({ run_id: event.runId }, correct / total);
    }
    if (event.type === "PolicyUpdated") {
      this.#grpoLoss.set({ role: event.payload.role }, event.payload.loss);
      this.#grpoKl.set({ role: event.payload.role }, event.payload.kl);
    }
  }

  observeUnit(labels: UnitLabels, seconds: number): void {
    this.#unitDuration.observe({ actor: labels.actor, unit_kind: labels.unitKind }, seconds);
  }

  countLogRepair(notice: FileLogNotice): void {
    this.#logRepairs.inc({ kind: notice.kind });
  }

  countDivergence(): void {
    this.#replayDivergences.inc({ source: "resume" });
  }

  countRetry(errorName: string): void {
    this.#runRetries.inc({ error: errorName });
  }

  /** The Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  #observeReward(payload: PayloadOf<"RewardScored">): void {
    const previous = this.#rewardWindows.get(payload.role);
    const window = addRewardSample(previous, payload);
    this.#rewardWindows.set(payload.role, window);
    // Why: a component absent from the new step must not keep showing the old step's mean.
    if (previous !== undefined && previous.step !== window.step)
      for (const component of Object.keys(previous.sums))
        this.#rewardMean.remove({ role: payload.role, component });
    for (const [component, mean] of Object.entries(rewardMeans(window)))
      this.#rewardMean.set({ role: payload.role, component }, mean);
  }
}
