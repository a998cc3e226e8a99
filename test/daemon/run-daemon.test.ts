// Goal: the daemon's core and HTTP API behave as documented, deterministically and fast: submissions
// are on disk before they are acknowledged, idempotent even when sent concurrently, run one at a time
// in submission order, bounded by the queue (429), refused while draining (503); a drain stops the
// run through its stop signal and gives up after its wait; a reopened daemon resumes unfinished runs
// in submission order; readiness turns 503 when a run stalls; metrics count what the run's log tail
// delivers (and nothing that was in the log before).
// Method: RunDaemon with a stub executor whose runs end when the test says (or on their stop signal),
// an in-memory log per run, a stub log inspector, a hand-driven clock; the HTTP API on a free port.
import assert from "node:assert/strict";
import { access, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, afterEach, before, describe, test } from "node:test";
import { setImmediate as tick } from "node:timers/promises";
import { pino } from "pino";
import {
  cancellationFileName,
  DaemonDrainingError,
  type HttpApi,
  InputFileRefusedError,
  type LogInspector,
  QueueFullError,
  RunAlreadyEndedError,
  RunDaemon,
  type RunDaemon as RunDaemonType,
  type RunReport,
  type RunRequest,
  resolveSubmission,
  startHttpApi,
  submissionFileName,
  UnknownRunError,
  unitLabelsByDescription,
} from "../../src/daemon/index.ts";
import { eventId } from "../../src/events/index.ts";
import { type MemoryEventLog, openMemoryLog } from "../../src/store/index.ts";
import { iterationStartedDraft, testAt, testProducer } from "../support/events.ts";
import { makeTempDir, type TempDir } from "../support/temp-dir.ts";

const silent = pino({ level: "silent" });

/** A run the test controls: it ends when `end` is called, or as "stopped" when its stop signal fires (unless deaf). */
interface StubRun {
  readonly request: RunRequest;
  readonly log: MemoryEventLog;
  end(report: RunReport): void;
}

function stubExecutor(options: { deafToStop?: boolean } = {}) {
  const runs: StubRun[] = [];
  const logs = new Map<string, MemoryEventLog>();
  const started: Array<() => void> = [];
  const executor = async (request: RunRequest): Promise<RunReport> => {
    const log = logs.get(request.runId) ?? openMemoryLog(request.runId);
    logs.set(request.runId, log);
    await request.onLogOpened(log);
    return new Promise<RunReport>((resolve) => {
      runs.push({ request, log, end: resolve });
      if (options.deafToStop !== true)
        request.stopSignal.addEventListener("abort", () => resolve({ status: "stopped", failure: null }));
      for (const wake of started.splice(0)) wake();
    });
  };
  const inspector: LogInspector = {
    async *read(runId, _runDirectory, fromSeq) {
      const log = logs.get(runId);
      if (log !== undefined) yield* log.read({ from: fromSeq });
    },
    close: async () => undefined,
    [Symbol.asyncDispose]: async () => undefined,
  };
  /** Resolves once `count` runs have started. */
  const startedCount = async (count: number) => {
    while (runs.length < count) await new Promise<void>((resolve) => started.push(resolve));
    return runs;
  };
  return { executor, inspector, runs, logs, startedCount };
}

function manualClock(startMs = 1000) {
  let nowMs = startMs;
  return { nowMs: () => nowMs, advance: (ms: number) => (nowMs += ms) };
}

function submission(seed: string) {
  return {
    preset: "smoke",
    config: { seed, model: { preset: "test", checkpoint: "/nonexistent/base.ckpt" } },
  };
}

async function openDaemon(
  directory: string,
  stub: ReturnType<typeof stubExecutor>,
  settings: {
    queueMax?: number;
    clock?: ReturnType<typeof manualClock>;
    checkInputs?: (config: unknown) => Promise<void>;
  } = {},
): Promise<RunDaemonType> {
  const daemon = await RunDaemon.open({
    runsDirectory: directory,
    executor: stub.executor,
    inspector: stub.inspector,
    logger: silent,
    clock: settings.clock ?? manualClock(),
    queueMax: settings.queueMax ?? 4,
    stallWindowMs: 60_000,
    // Why accept every input by default: the stub executor reads no file (test/faults/daemon-hostile
    // checks the real confinement in a daemon process).
    checkInputs: settings.checkInputs ?? (async () => undefined),
    stallLimitMs: 180_000,
  });
  daemon.start();
  return daemon;
}

async function finishAll(daemon: RunDaemonType): Promise<void> {
  await daemon.drain(1000);
}

describe("RunDaemon", () => {
  let workspace: TempDir;
  const open: RunDaemonType[] = [];

  before(async () => {
    workspace = await makeTempDir("run-daemon");
  });
  afterEach(async () => {
    for (const daemon of open.splice(0)) await finishAll(daemon);
  });
  after(async () => {
    await workspace[Symbol.asyncDispose]();
  });

  async function fresh(name: string, stub: ReturnType<typeof stubExecutor>, settings = {}) {
    const daemon = await openDaemon(join(workspace.path, name), stub, settings);
    open.push(daemon);
    return daemon;
  }

  test("a submission whose inputs are refused is not persisted, not queued and not run", async () => {
    const stub = stubExecutor();
    const refusal = new InputFileRefusedError("model.checkpoint", "/dev/zero", "outside");
    const daemon = await fresh("refused", stub, { checkInputs: async () => Promise.reject(refusal) });
    await assert.rejects(daemon.submit(submission("1")), InputFileRefusedError);
    assert.deepEqual(daemon.list(), []);
    await assert.rejects(access(join(daemon.runsDirectory, resolveSubmission(submission("1")).runId)));
    assert.equal(stub.runs.length, 0);
  });

  test("a submission is on disk when acknowledged, and concurrent duplicates start one run", async () => {
    const stub = stubExecutor();
    const daemon = await fresh("persist", stub);
    const replies = await Promise.all([daemon.submit(submission("1")), daemon.submit(submission("1"))]);
    assert.deepEqual(replies.map((reply) => reply.created).sort(), [false, true]);
    assert.equal(replies[0]!.runId, replies[1]!.runId);
    const stored = JSON.parse(
      await readFile(join(daemon.runsDirectory, replies[0]!.runId, submissionFileName), "utf8"),
    );
    assert.equal(stored.runId, replies[0]!.runId);
    assert.equal(stored.sequence, 1);
    await stub.startedCount(1);
    assert.equal(stub.runs.length, 1);
    assert.equal(daemon.view(replies[0]!.runId)?.status, "running");
  });

  test("runs execute one at a time in submission order; a full queue refuses", async () => {
    const stub = stubExecutor();
    const daemon = await fresh("order", stub, { queueMax: 2 });
    const ids = [];
    for (const seed of ["a", "b", "c"]) ids.push((await daemon.submit(submission(seed))).runId);
    await assert.rejects(daemon.submit(submission("d")), QueueFullError);
    const [running] = await stub.startedCount(1);
    assert.equal(running!.request.runId, ids[0]);
    assert.equal(daemon.view(ids[2]!)?.queuePosition, 2);
    running!.end({ status: "completed", failure: null });
    const runs = await stub.startedCount(2);
    assert.equal(runs[1]!.request.runId, ids[1]);
    runs[1]!.end({ status: "failed", failure: { name: "TestError", message: "boom" } });
    const all = await stub.startedCount(3);
    assert.equal(all[2]!.request.runId, ids[2]);
    assert.deepEqual(
      daemon.list().map((view) => view.status),
      ["completed", "failed", "running"],
    );
    // The refused submission left nothing behind.
    assert.equal(daemon.list().length, 3);
  });

  test("a drain stops the running run through its signal and refuses new work", async () => {
    const stub = stubExecutor();
    const daemon = await openDaemon(join(workspace.path, "drain"), stub);
    const { runId } = await daemon.submit(submission("1"));
    const queued = (await daemon.submit(submission("2"))).runId;
    const [run] = await stub.startedCount(1);
    const drained = await daemon.drain(5000);
    assert.equal(run!.request.stopSignal.aborted, true);
    assert.deepEqual(drained, { stoppedRun: runId, stoppedInTime: true });
    assert.equal(daemon.view(runId)?.status, "stopped");
    assert.equal(daemon.view(queued)?.status, "queued");
    await assert.rejects(daemon.submit(submission("3")), DaemonDrainingError);
    assert.equal(daemon.readiness().ready, false);
    assert.match(daemon.readiness().reason, /draining/);

    // Reopened on the same directory: the stopped run and the queued one resume, in submission order.
    const again = stubExecutor();
    const reopened = await fresh("drain", again);
    const [resumed] = await again.startedCount(1);
    assert.equal(resumed!.request.runId, runId);
    resumed!.end({ status: "completed", failure: null });
    const [, next] = await again.startedCount(2);
    assert.equal(next!.request.runId, queued);
    assert.equal(
      (await reopened.submit(submission("1"))).created,
      false,
      "a restored run is known by its id",
    );
  });

  test("a run deaf to its stop signal makes the drain give up after its wait", async () => {
    const stub = stubExecutor({ deafToStop: true });
    const daemon = await openDaemon(join(workspace.path, "deaf"), stub);
    await daemon.submit(submission("1"));
    const [run] = await stub.startedCount(1);
    const drained = await daemon.drain(20);
    assert.equal(drained.stoppedInTime, false);
    run!.end({ status: "stopped", failure: null });
  });

  test("readiness: ready idle and while progressing, 503 once a run is quiet past the window", async () => {
    const stub = stubExecutor();
    const clock = manualClock();
    const daemon = await fresh("ready", stub, { clock });
    assert.equal(daemon.readiness().ready, true);
    await daemon.submit(submission("1"));
    const [run] = await stub.startedCount(1);
    clock.advance(59_000);
    assert.equal(daemon.readiness().ready, true);
    clock.advance(2_000);
    assert.equal(daemon.readiness().ready, false);
    assert.match(daemon.readiness().reason, /stalled/);
    run!.request.progress.unit("iteration 1 starts");
    assert.equal(daemon.readiness().ready, true, "a unit start is progress");
    clock.advance(61_000);
    await run!.log.append([iterationStartedDraft(run!.request.runId, 7)]);
    await tick();
    assert.equal(daemon.readiness().ready, true, "an appended event is progress");
  });

  test("metrics count events the tail delivers after the log opened, not those already in it", async () => {
    const stub = stubExecutor();
    const daemon = await fresh("metrics", stub);
    const { runId } = resolveSubmission(submission("1"));
    // An event already in the log (a resumed run's) must not be counted as appended.
    const log = openMemoryLog(runId);
    await log.append([iterationStartedDraft(runId, 1)]);
    stub.logs.set(runId, log);
    await daemon.submit(submission("1"));
    const [run] = await stub.startedCount(1);
    const reward = (sampleId: string, step: number, total: number) => ({
      runId,
      id: eventId(runId, testProducer, `reward/${sampleId}`),
      causationId: null,
      correlationId: null,
      producer: testProducer,
      at: testAt,
      type: "RewardScored" as const,
      v: 2 as const,
      payload: {
        role: "coder" as const,
        iteration: 1,
        step,
        sampleId: sampleId.padStart(32, "0"),
        total,
        components: { solvability: total },
        configHash: "0".repeat(64),
      },
    });
    await run!.log.append([iterationStartedDraft(runId, 2), reward("a", 0, 1), reward("b", 1, 0.5)]);
    await run!.log.append([reward("c", 1, 0)]);
    run!.end({ status: "completed", failure: null });
    while (daemon.view(runId)?.status !== "completed") await tick();
    const text = await daemon.metrics.text();
    assert.match(text, /mmzero_events_appended_total\{type="IterationStarted"\} 1\n/);
    assert.match(text, /mmzero_events_appended_total\{type="RewardScored"\} 3\n/);
    // The latest step (1) holds samples b (0.5) and c (0): mean 0.25; step 0's sample is gone.
    assert.match(text, /mmzero_reward_component_mean\{role="coder",component="total"\} 0.25\n/);
    assert.match(text, /mmzero_reward_component_mean\{role="coder",component="solvability"\} 0.25\n/);
    assert.match(text, /mmzero_runs\{status="completed"\} 1\n/);
    assert.equal(daemon.view(runId)?.events, 5);
  });

  test("liveness: alive idle and while progressing, failing once a run is quiet past the stall limit", async () => {
    const stub = stubExecutor();
    const clock = manualClock();
    const daemon = await fresh("liveness", stub, { clock });
    clock.advance(10 * 180_000);
    assert.equal(daemon.liveness().alive, true, "an idle daemon is alive however long it idles");
    await daemon.submit(submission("1"));
    const [run] = await stub.startedCount(1);
    clock.advance(180_000);
    assert.equal(daemon.liveness().alive, true);
    assert.equal(daemon.readiness().ready, false, "past the readiness window, within the stall limit");
    clock.advance(1);
    const stalled = daemon.liveness();
    assert.deepEqual([stalled.alive, stalled.status], [false, "stalled"]);
    assert.match(stalled.reason, new RegExp(`run ${run!.request.runId} made no progress for 180001 ms`));
    run!.request.progress.unit("iteration 1 starts");
    assert.equal(daemon.liveness().alive, true, "a unit start is progress");
  });

  test("cancel: a queued run leaves the queue at once, a running one after its unit; both stay cancelled", async () => {
    const stub = stubExecutor();
    const directory = join(workspace.path, "cancel");
    const daemon = await openDaemon(directory, stub);
    const running = (await daemon.submit(submission("1"))).runId;
    const queued = (await daemon.submit(submission("2"))).runId;
    const next = (await daemon.submit(submission("3"))).runId;
    const late = (await daemon.submit(submission("4"))).runId;
    const [run] = await stub.startedCount(1);

    const queuedCancel = await daemon.cancel(queued);
    assert.equal(queuedCancel.outcome, "cancelled");
    assert.equal(queuedCancel.run.status, "cancelled");
    assert.equal(daemon.view(next)?.queuePosition, 1, "the cancelled run left the queue");
    assert.deepEqual(JSON.parse(await readFile(join(directory, queued, cancellationFileName), "utf8")), {
      format: 1,
      runId: queued,
      cancelledWhile: "queued",
    });
    assert.deepEqual((await daemon.cancel(queued)).outcome, "cancelled", "cancelling again answers the same");

    const runningCancel = await daemon.cancel(running);
    assert.equal(runningCancel.outcome, "cancelling");
    assert.equal(runningCancel.run.cancelRequested, true);
    assert.equal(run!.request.stopSignal.aborted, true, "the run is asked to stop before its next unit");
    await access(join(directory, running, cancellationFileName));
    // Another run cancelled while the running one is still cancelling gets its own record.
    assert.equal((await daemon.cancel(late)).outcome, "cancelled");
    await access(join(directory, late, cancellationFileName));
    const [, started] = await stub.startedCount(2);
    assert.equal(started!.request.runId, next, "the next run starts; the cancelled queued one never does");
    assert.equal(daemon.view(running)?.status, "cancelled");
    started!.end({ status: "completed", failure: null });
    while (daemon.view(next)?.status !== "completed") await tick();
    await assert.rejects(daemon.cancel(next), RunAlreadyEndedError);
    await assert.rejects(daemon.cancel("smoke-000000000000"), UnknownRunError);
    const metrics = await daemon.metrics.text();
    assert.match(metrics, /mmzero_runs\{status="cancelled"\} 3\n/);
    await daemon.drain(1000);

    // Reopened: neither cancelled run is resumed. (The stub's runs record no RunCompleted, so the
    // one that ended is unfinished to a new daemon and starts again: the only run that starts.)
    const again = stubExecutor();
    const reopened = await fresh("cancel", again);
    const [resumed] = await again.startedCount(1);
    assert.equal(resumed!.request.runId, next);
    assert.deepEqual(
      reopened.list().map((view) => [view.runId, view.status]),
      [
        [running, "cancelled"],
        [queued, "cancelled"],
        [next, "running"],
        [late, "cancelled"],
      ],
    );
    assert.equal(
      (await reopened.submit(submission("1"))).created,
      false,
      "a cancelled run is known by its id",
    );
  });

  test("run gauges: benchmark accuracy, GRPO loss and KL, units done of units scheduled; cleared per run", async () => {
    const stub = stubExecutor();
    const daemon = await fresh("gauges", stub);
    const first = (await daemon.submit(submission("1"))).runId;
    const [run] = await stub.startedCount(1);
    const scheduled = unitLabelsByDescription(run!.request.config);
    const envelope = (key: string) => ({
      runId: first,
      id: eventId(first, testProducer, key),
      causationId: null,
      correlationId: null,
      producer: testProducer,
      at: testAt,
      v: 1 as const,
    });
    const hash = "0".repeat(64);
    await run!.log.append([
      {
        ...envelope("benchmark/0"),
        type: "BenchmarkEvaluated",
        payload: {
          iteration: 0,
          weightHash: hash,
          benchmarkHash: hash,
          overall: { correct: 3, total: 8 },
          byLevel: {},
          byContentType: {},
        },
      },
      {
        ...envelope("update/solver"),
        type: "PolicyUpdated",
        payload: {
          role: "solver",
          iteration: 1,
          step: 0,
          fromWeightHash: hash,
          weightHash: hash,
          checkpoint: hash,
          loss: 0.75,
          policyLoss: 0.5,
          kl: 0.125,
          clipFraction: 0,
          gradNorm: 1,
          tokenCount: 10,
          groupIds: [],
          optimizerState: hash,
        },
      },
    ]);
    run!.request.progress.unit("iteration 1 starts");
    const position = scheduled.get("iteration 1 starts")!.position;
    assert.ok(position > 0);
    let text = "";
    while (!text.includes("mmzero_grpo_kl{")) {
      await tick();
      text = await daemon.metrics.text();
    }
    assert.match(text, new RegExp(`mmzero_benchmark_accuracy\\{run_id="${first}"\\} 0.375\n`));
    assert.match(text, /mmzero_grpo_loss\{role="solver"\} 0.75\n/);
    assert.match(text, /mmzero_grpo_kl\{role="solver"\} 0.125\n/);
    assert.match(text, new RegExp(`mmzero_run_units_done\\{run_id="${first}"\\} ${position}\n`));
    assert.match(text, new RegExp(`mmzero_run_units_scheduled\\{run_id="${first}"\\} ${scheduled.size}\n`));
    run!.end({ status: "completed", failure: null });
    while (daemon.view(first)?.status !== "completed") await tick();
    text = await daemon.metrics.text();
    assert.match(text, new RegExp(`mmzero_run_units_done\\{run_id="${first}"\\} ${scheduled.size}\n`));

    const second = (await daemon.submit(submission("2"))).runId;
    await stub.startedCount(2);
    text = await daemon.metrics.text();
    assert.doesNotMatch(text, new RegExp(first), "the last run's series are cleared when the next starts");
    assert.doesNotMatch(text, /mmzero_benchmark_accuracy\{/);
    assert.doesNotMatch(text, /mmzero_grpo_loss\{/);
    assert.match(text, new RegExp(`mmzero_run_units_done\\{run_id="${second}"\\} 0\n`));
  });
});

describe("the HTTP API", () => {
  let workspace: TempDir;
  let daemon: RunDaemonType;
  let api: HttpApi;
  let stub: ReturnType<typeof stubExecutor>;

  before(async () => {
    workspace = await makeTempDir("http-api");
    stub = stubExecutor();
    daemon = await openDaemon(workspace.path, stub, { queueMax: 1 });
    api = await startHttpApi(daemon, { port: 0, logger: silent });
  });
  after(async () => {
    await api.close();
    await daemon.drain(1000);
    await workspace[Symbol.asyncDispose]();
  });

  const post = (body: string) =>
    fetch(`${api.url}/runs`, { method: "POST", body, headers: { "content-type": "application/json" } });

  test("answers each refusal with its status and a reason", async () => {
    const bad = await post("{");
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /not JSON/);
    const huge = await post(
      JSON.stringify({ preset: "smoke", config: { seed: "x".repeat(2 * 1024 * 1024) } }),
    );
    assert.equal(huge.status, 413);
    assert.equal((await post(JSON.stringify(submission("1")))).status, 202);
    assert.equal((await post(JSON.stringify(submission("1")))).status, 200);
    await stub.startedCount(1);
    assert.equal((await post(JSON.stringify(submission("2")))).status, 202);
    const full = await post(JSON.stringify(submission("3")));
    assert.equal(full.status, 429);
    assert.equal(full.headers.get("retry-after"), "30");
    // A queued run has no log yet: its page is the daemon's status page, reloading itself.
    const queuedId = resolveSubmission(submission("2")).runId;
    const page = await fetch(`${api.url}/runs/${queuedId}`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<strong>queued<\/strong>/);
    assert.match(html, /http-equiv="refresh"/);
    const unknown = await fetch(`${api.url}/runs/none/status`);
    assert.equal(unknown.status, 404);
    const method = await fetch(`${api.url}/runs`, { method: "DELETE" });
    assert.equal(method.status, 405);
    const ready = await fetch(`${api.url}/readyz`);
    assert.equal(ready.status, 200);

    await daemon.drain(1000);
    const draining = await post(JSON.stringify(submission("4")));
    assert.equal(draining.status, 503);
    assert.match(await draining.text(), /DaemonDrainingError/);
    const notReady = await fetch(`${api.url}/readyz`);
    assert.equal(notReady.status, 503);
    assert.match(await notReady.text(), /draining/);
    const health = await fetch(`${api.url}/healthz`);
    assert.equal(health.status, 200, "a draining daemon is still alive");
  });

  test("a run's directory holds its submission", async () => {
    const [first] = daemon.list();
    await access(join(first!.runDirectory, submissionFileName));
  });
});

describe("the HTTP API: run list, cancel, health", () => {
  let workspace: TempDir;
  let daemon: RunDaemonType;
  let api: HttpApi;
  let stub: ReturnType<typeof stubExecutor>;

  before(async () => {
    workspace = await makeTempDir("http-api-cancel");
    stub = stubExecutor();
    daemon = await openDaemon(workspace.path, stub);
    api = await startHttpApi(daemon, { port: 0, logger: silent });
  });
  after(async () => {
    await api.close();
    await daemon.drain(1000);
    await workspace[Symbol.asyncDispose]();
  });

  test("GET / answers JSON to scripts and HTML to browsers; DELETE cancels with 200, 202, 404", async () => {
    const running = (await daemon.submit(submission("1"))).runId;
    const queued = (await daemon.submit(submission("2"))).runId;
    await stub.startedCount(1);
    for (const accept of [undefined, "*/*", "application/json", "text/html;q=0.5, application/json"]) {
      const reply = await fetch(`${api.url}/`, accept === undefined ? {} : { headers: { accept } });
      assert.equal(reply.status, 200);
      assert.match(reply.headers.get("content-type") ?? "", /application\/json/, String(accept));
      const body = (await reply.json()) as { runs: Array<{ runId: string }> };
      assert.deepEqual(
        body.runs.map((run) => run.runId),
        [running, queued],
      );
    }
    const page = await fetch(`${api.url}/`, {
      headers: { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" },
    });
    assert.match(page.headers.get("content-type") ?? "", /text\/html/);
    const html = await page.text();
    assert.ok(html.includes(`href="/runs/${running}"`) && html.includes(`href="/runs/${queued}"`), html);

    const cancelled = await fetch(`${api.url}/runs/${queued}`, { method: "DELETE" });
    assert.equal(cancelled.status, 200);
    assert.deepEqual(
      ((await cancelled.json()) as { outcome: string; run: { status: string } }).run.status,
      "cancelled",
    );
    const cancelling = await fetch(`${api.url}/runs/${running}`, { method: "DELETE" });
    assert.equal(cancelling.status, 202);
    assert.equal(((await cancelling.json()) as { outcome: string }).outcome, "cancelling");
    const unknown = await fetch(`${api.url}/runs/smoke-000000000000`, { method: "DELETE" });
    assert.equal(unknown.status, 404);
    assert.match(await unknown.text(), /UnknownRunError/);
    const wrong = await fetch(`${api.url}/runs/${queued}`, { method: "PUT" });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get("allow"), "GET, DELETE");
    const health = await fetch(`${api.url}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, "alive");
  });
});
