import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Clock, ProgressSink, WorkerRole } from "../actors/index.ts";
import { type LoopOutcome, runIdOf, runLoop } from "../actors/index.ts";
import type { Bus } from "../bus/index.ts";
import { createMemoryBus, openNatsBus } from "../bus/index.ts";
import type { RunConfig } from "../config/index.ts";
import type { PayloadOf } from "../events/index.ts";
import { type SelectedBackend, selectBackend } from "../gpu/index.ts";
import { worldRoleFormats } from "../policy/index.ts";
import type { ProportionInterval } from "../report/index.ts";
import { applyReportEvent, emptyReportState, reportMetrics } from "../report/index.ts";
import {
  type BlobStore,
  describeNotice,
  type EventLog,
  type FileLogNotice,
  openFileBlobStore,
  openFileLog,
} from "../store/index.ts";
import {
  connectNats,
  eventStreamName,
  openJetStreamBlobStore,
  openJetStreamLog,
} from "../store/jetstream/index.ts";
import { openLocalServices } from "./local-services.ts";
import { durabilityNotice } from "./nats-durability.ts";
import { loadBasePolicy, loadBenchmark, loadGrpoConfig, loadRewardConfig } from "./run-inputs.ts";
import { withStructuredLog } from "./run-logger.ts";

export interface RunSessionOptions {
  readonly config: RunConfig;
  /** The run directory; default runs/<runId>. */
  readonly outDir?: string;
  /** A NATS server: the log is a JetStream stream, blobs the JetStream object store, work goes over NATS. */
  readonly natsUrl?: string;
  /** Actors this process hosts (default all); on NATS, `mmzero worker` processes serve the rest. */
  readonly localRoles?: readonly WorkerRole[];
  /** NATS only: how long a work request waits for its reply before it is asked again. */
  readonly requestTimeoutMs?: number;
  readonly resume: boolean;
  readonly progress: ProgressSink;
  readonly clock: Clock;
  readonly onBackend?: (backend: SelectedBackend) => void;
  /** Told what deserves an operator's attention before the run starts (on NATS: what an acknowledged event means). */
  readonly onWarning?: (warning: string) => void;
  /** Ends the run between schedule units (status "stopped", resumable); see LoopInputs.stopSignal. */
  readonly stopSignal?: AbortSignal;
  /**
   * Called (and awaited) once the run's log is open, before anything is recorded, so a host can
   * watch it (the daemon tails it for metrics). Read-only: only the recorder writes.
   */
  readonly onLogOpened?: (log: ObservedLog) => Promise<void>;
  /**
   * Told about every repair made while opening the file log (a torn tail cut off, a stale lock
   * removed, a missing head file written); each is also written to run.log.
   */
  readonly onLogNotice?: (notice: FileLogNotice) => void;
}

/** What a log observer may use: reads and tails, never appends. */
export type ObservedLog = Pick<EventLog, "runId" | "head" | "read" | "tail">;

export interface RunSessionResult extends LoopOutcome {
  readonly runId: string;
  readonly outDir: string;
  readonly backend: SelectedBackend;
  /** Benchmark evaluations in iteration order (0 = the base model). */
  readonly evaluations: readonly PayloadOf<"BenchmarkEvaluated">[];
  readonly eventCount: number;
  readonly chainHead: string;
  /** Analysis only (the world oracle, never a reward): how right the run's pseudo-labels and renders were. */
  readonly oracle: {
    readonly pseudoLabelAccuracy: ProportionInterval | null;
    readonly captionFidelity: ProportionInterval | null;
  };
}

/**
 * What the closing summary needs, in one pass over the log: the benchmark evaluations and the
 * report projection's oracle figures (analysis only).
 */
async function summaryOf(log: EventLog): Promise<Pick<RunSessionResult, "evaluations" | "oracle">> {
  const evaluations: PayloadOf<"BenchmarkEvaluated">[] = [];
  let state = emptyReportState();
  for await (const recorded of log.read()) {
    if (recorded.event.type === "BenchmarkEvaluated") evaluations.push(recorded.event.payload);
    state = applyReportEvent(state, recorded);
  }
  const metrics = reportMetrics(state);
  return {
    evaluations,
    oracle: {
      pseudoLabelAccuracy: metrics.pseudoLabelAccuracy,
      captionFidelity: metrics.overall.captionFidelity,
    },
  };
}

interface RunStorage extends AsyncDisposable {
  readonly log: EventLog;
  readonly blobs: BlobStore;
  readonly bus: Bus;
}

/** A run's storage; closing it closes the bus, the blobs, the log, then whatever else it owns. */
function runStorage(log: EventLog, blobs: BlobStore, bus: Bus, closeRest: () => Promise<void>): RunStorage {
  return {
    log,
    blobs,
    bus,
    async [Symbol.asyncDispose]() {
      await bus.close();
      await blobs.close();
      await log.close();
      await closeRest();
    },
  };
}

/** Embedded default: file log and blob store in the run directory, the in-process bus. */
async function openFileStorage(
  outDir: string,
  runId: string,
  onNotice: (notice: FileLogNotice) => void,
): Promise<RunStorage> {
  const log = await openFileLog(join(outDir, "events"), { runId, onNotice });
  const blobs = await openFileBlobStore(join(outDir, "blobs"));
  return runStorage(log, blobs, createMemoryBus(), async () => {});
}

/** On NATS: the JetStream event log and object store, and work over NATS queue groups. */
async function openNatsStorage(
  url: string,
  runId: string,
  requestTimeoutMs: number | undefined,
  onWarning: (warning: string) => void,
): Promise<RunStorage> {
  const connection = await connectNats(url, { name: `mmzero-run-${runId}` });
  try {
    const log = await openJetStreamLog(connection, runId);
    const stream = await connection.manager.streams.info(eventStreamName);
    onWarning(
      durabilityNotice({ serverVersion: connection.serverVersion, replicas: stream.config.num_replicas }),
    );
    const blobs = await openJetStreamBlobStore(connection);
    const bus = await openNatsBus(
      connection,
      requestTimeoutMs === undefined ? {} : { timeoutMs: requestTimeoutMs },
    );
    return runStorage(log, blobs, bus, () => connection.close());
  } catch (error) {
    await connection.close();
    throw error;
  }
}

/**
 * One run: on the embedded default (file log and blobs in the run directory, the in-process bus)
 * or on NATS; the Proposer/Coder/Solver/Trainer/Renderer actors are hosted in this process, and
 * `mmzero worker` processes on the same NATS server share their work.
 */
export async function runSession(options: RunSessionOptions): Promise<RunSessionResult> {
  const config = options.config;
  const runId = runIdOf(config);
  const outDir = resolve(options.outDir ?? join("runs", runId));
  await mkdir(outDir, { recursive: true });
  const backend = await selectBackend();
  options.onBackend?.(backend);
  const rewards = await loadRewardConfig(config.rewards);
  const grpo = await loadGrpoConfig(config.grpo);
  const notices: FileLogNotice[] = [];
  await using storage =
    options.natsUrl === undefined
      ? await openFileStorage(outDir, runId, (notice) => notices.push(notice))
      : await openNatsStorage(
          options.natsUrl,
          runId,
          options.requestTimeoutMs,
          options.onWarning ?? (() => {}),
        );
  const { log, blobs } = storage;
  await options.onLogOpened?.(log);
  await using local = await openLocalServices(config, blobs, storage.bus, options.localRoles);
  const base = await loadBasePolicy(
    blobs,
    config.model.preset,
    config.model.checkpoint,
    config.render.imageSize,
  );
  const benchmark = await loadBenchmark(config.benchmark.path);
  const progress = withStructuredLog(outDir, runId, options.progress);
  for (const notice of notices) {
    progress.repair(describeNotice(notice), notice);
    options.onLogNotice?.(notice);
  }
  const outcome = await runLoop({
    config,
    rewards,
    grpo,
    log,
    services: local.services,
    formats: worldRoleFormats,
    benchmark,
    base,
    backend: backend.info,
    progress,
    clock: options.clock,
    resume: options.resume,
    ...(options.stopSignal === undefined ? {} : { stopSignal: options.stopSignal }),
  });
  if (outcome.failure !== null) progress.failure(outcome.failure);
  progress.flush();
  const head = await log.head();
  return {
    ...outcome,
    runId,
    outDir,
    backend,
    ...(await summaryOf(log)),
    eventCount: head.seq,
    chainHead: head.chainHash,
  };
}
