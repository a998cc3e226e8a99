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
  DaemonDrainingError,
  type HttpApi,
  type LogInspector,
  QueueFullError,
  RunDaemon,
  type RunDaemon as RunDaemonType,
  type RunReport,
  type RunRequest,
  resolveSubmission,
  startHttpApi,
  submissionFileName,
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
  settings: { queueMax?: number; clock?: ReturnType<typeof manualClock> } = {},
): Promise<RunDaemonType> {
  const daemon = await RunDaemon.open({
    runsDirectory: directory,
    executor: stub.executor,
    inspector: stub.inspector,
    logger: silent,
    clock: settings.clock ?? manualClock(),
    queueMax: settings.queueMax ?? 4,
    stallWindowMs: 60_000,
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
      v: 1 as const,
      payload: {
        role: "coder" as const,
        iteration: 1,
        step,
        sampleId: sampleId.padStart(32, "0"),
        total,
        components: { renderable: total },
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
    assert.match(text, /mmzero_reward_component_mean\{role="coder",component="renderable"\} 0.25\n/);
    assert.match(text, /mmzero_runs\{status="completed"\} 1\n/);
    assert.equal(daemon.view(runId)?.events, 5);
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
