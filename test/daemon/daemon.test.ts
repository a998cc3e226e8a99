// Goal: `mmzero daemon` as a real process: it serves health, readiness and Prometheus metrics,
// accepts runs idempotently, refuses malformed submissions (400) and a full queue (429) with a
// reason, drains on SIGTERM mid-run (exit within 30 s, the run stopped between units), and when
// started again on the same runs directory resumes the run, which then holds exactly the events of a
// run done in one go (content hash for content hash). Its metrics hold the run gauges (benchmark
// accuracy, GRPO loss and KL, units done of units scheduled) of the last run, reward means of
// rewards only, and prom-client's default metrics under their standard names.
// Method: daemon child processes on free ports and one temporary runs directory; smoke runs on a
// keyed-random test base (2 iterations, so the run is long enough to be cut); the cut is chosen by
// polling the run's log through the read-only reader; the reference run is `runSession` in this process.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Schema } from "effect";
import { runIdOf } from "../../src/actors/index.ts";
import { runSession } from "../../src/app/index.ts";
import { resolveRunConfig } from "../../src/config/index.ts";
import {
  drainDeadlineMs,
  RefusalReply,
  RunListReply,
  RunStatusReply,
  SubmitReply,
} from "../../src/daemon/index.ts";
import { readFileLogReadOnly } from "../../src/store/index.ts";
import { smokeOverrides, writeTestBase } from "../support/loop-fixture.ts";
import { makeTempDir, type TempDir } from "../support/temp-dir.ts";
import { type DaemonProcess, postJson, readDirFlags, request, startDaemon, until } from "./daemon-process.ts";

/** The metrics the daemon promises, each of which must have at least one sample. */
const daemonMetricNames = [
  "mmzero_events_appended_total",
  "mmzero_unit_duration_seconds",
  "mmzero_reward_component_mean",
  "mmzero_render_outcomes_total",
  "mmzero_consumer_lag_events",
  "mmzero_replay_divergences_total",
  "mmzero_log_repairs_total",
  "mmzero_runs",
  "mmzero_benchmark_accuracy",
  "mmzero_grpo_loss",
  "mmzero_grpo_kl",
  "mmzero_run_units_done",
  "mmzero_run_units_scheduled",
  // prom-client's default process metrics, under their standard names.
  "process_cpu_seconds_total",
  "process_resident_memory_bytes",
  "nodejs_heap_size_used_bytes",
];

async function logOf(runDirectory: string): Promise<{ hashes: string[]; types: string[] }> {
  const hashes: string[] = [];
  const types: string[] = [];
  try {
    for await (const recorded of readFileLogReadOnly(join(runDirectory, "events"))) {
      hashes.push(recorded.contentHash);
      types.push(recorded.event.type);
    }
  } catch (error) {
    if (!(error instanceof Error && "code" in error && error.code === "ENOENT")) throw error;
  }
  return { hashes, types };
}

async function statusOf(daemon: DaemonProcess, runId: string): Promise<string> {
  const reply = await request(`${daemon.url}/runs/${runId}/status`);
  assert.equal(reply.status, 200, reply.text);
  return Schema.decodeUnknownSync(RunStatusReply)(reply.json()).status;
}

/** Sample lines per metric family (histograms count their _bucket/_sum/_count lines). */
function samplesByMetric(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || line.trim() === "") continue;
    const name = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line)?.[1] ?? "";
    const family = name.replace(/_(bucket|sum|count)$/, "");
    for (const key of new Set([name, family])) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

describe("mmzero daemon (real processes)", () => {
  let workspace: TempDir;
  let runsDirectory: string;
  let overrides: Record<string, unknown>;
  let first: DaemonProcess;
  let second: DaemonProcess | undefined;
  let runId: string;

  before(async () => {
    workspace = await makeTempDir("daemon");
    runsDirectory = join(workspace.path, "runs");
    overrides = { ...smokeOverrides(await writeTestBase(workspace.path)), iterations: 2 };
    first = await startDaemon([
      "--runs-dir",
      runsDirectory,
      "--queue-max",
      "1",
      ...readDirFlags(workspace.path),
    ]);
  });
  after(async () => {
    await first[Symbol.asyncDispose]();
    await second?.[Symbol.asyncDispose]();
    await workspace[Symbol.asyncDispose]();
  });

  test("an idle daemon is alive and ready", async () => {
    const health = await request(`${first.url}/healthz`);
    assert.equal(health.status, 200);
    const ready = await request(`${first.url}/readyz`);
    assert.equal(ready.status, 200, ready.text);
    assert.match(ready.text, /idle/);
  });

  test("malformed submissions get 400 with a reason", async () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ["not JSON", "{preset: smoke", /not JSON/],
      ["no preset", { config: overrides }, /preset/],
      ["an unknown preset", { preset: "huge", config: overrides }, /unknown preset "huge"/],
      ["an unknown config field", { preset: "smoke", config: { iterationz: 2 } }, /iterationz/],
      ["a config that is not an object", { preset: "smoke", config: [1, 2] }, /config/],
    ];
    for (const [label, body, reason] of cases) {
      const reply = await postJson(`${first.url}/runs`, body);
      assert.equal(reply.status, 400, `${label}: ${reply.text}`);
      const parsed = Schema.decodeUnknownSync(RefusalReply)(reply.json());
      assert.equal(parsed.error, "InvalidSubmissionError", label);
      assert.match(parsed.reason, reason, label);
    }
    const runs = Schema.decodeUnknownSync(RunListReply)((await request(`${first.url}/runs`)).json());
    assert.deepEqual(runs.runs, [], "a refused submission leaves no run behind");
  });

  test("a submission is accepted once; the same config again returns the same run id", async () => {
    const accepted = await postJson(`${first.url}/runs`, { preset: "smoke", config: overrides });
    assert.equal(accepted.status, 202, accepted.text);
    runId = Schema.decodeUnknownSync(SubmitReply)(accepted.json()).runId;
    assert.equal(runId, runIdOf(resolveRunConfig("smoke", overrides)));
    const again = await postJson(`${first.url}/runs`, { preset: "smoke", config: overrides });
    assert.equal(again.status, 200, again.text);
    const repeated = Schema.decodeUnknownSync(SubmitReply)(again.json());
    assert.deepEqual({ runId: repeated.runId, created: repeated.created }, { runId, created: false });
    const runs = Schema.decodeUnknownSync(RunListReply)((await request(`${first.url}/runs`)).json());
    assert.deepEqual(
      runs.runs.map((run) => run.runId),
      [runId],
    );
  });

  test("with --queue-max 1, a second waiting run is refused with 429 and a reason", async () => {
    const queued = await postJson(`${first.url}/runs`, {
      preset: "smoke",
      config: { ...overrides, seed: "2" },
    });
    assert.equal(queued.status, 202, queued.text);
    assert.equal(Schema.decodeUnknownSync(SubmitReply)(queued.json()).status, "queued");
    const refused = await postJson(`${first.url}/runs`, {
      preset: "smoke",
      config: { ...overrides, seed: "3" },
    });
    assert.equal(refused.status, 429, refused.text);
    assert.match(Schema.decodeUnknownSync(RefusalReply)(refused.json()).reason, /queue already holds 1 run/);
  });

  test("SIGTERM mid-run: the daemon stops the run between units and exits within 30 s", async () => {
    const runDirectory = join(runsDirectory, runId);
    await until("the run has events of iteration 1", async () => {
      const { types } = await logOf(runDirectory);
      return types.includes("ProposalSampled") ? true : undefined;
    });
    const ready = await request(`${first.url}/readyz`);
    assert.equal(ready.status, 200, ready.text);
    assert.match(ready.text, /running/);
    const exit = await first.stop("SIGTERM");
    assert.equal(exit.code, 0, first.log());
    assert.ok(exit.exitMs < drainDeadlineMs, `the daemon took ${exit.exitMs} ms to exit`);
    const { types } = await logOf(runDirectory);
    assert.ok(!types.includes("RunCompleted"), "the run completed before the SIGTERM: the test cut nothing");
    assert.ok(!types.includes("RunFailed"), "a drain must not record a failure");
    assert.match(first.log(), /stopped between units/);
  });

  test("started again, it resumes the run, which equals a run done in one go", async () => {
    second = await startDaemon([
      "--runs-dir",
      runsDirectory,
      "--queue-max",
      "1",
      ...readDirFlags(workspace.path),
    ]);
    const daemon = second;
    await until("the resumed run completes", async () =>
      (await statusOf(daemon, runId)) === "completed" ? true : undefined,
    );
    const reference = await runSession({
      config: resolveRunConfig("smoke", overrides),
      outDir: join(workspace.path, "reference"),
      resume: false,
      progress: { unit() {}, metrics() {} },
      clock: { nowIso: () => "2026-01-01T00:00:00.000Z" },
    });
    assert.equal(reference.status, "completed");
    const resumed = await logOf(join(runsDirectory, runId));
    const oneGo = await logOf(reference.outDir);
    assert.deepEqual(resumed.hashes, oneGo.hashes);
    // Submission order: the interrupted run resumed before the run queued after it started.
    const starts = [...daemon.log().matchAll(/"msg":"run (\S+) starts/g)].map((match) => match[1]);
    assert.equal(starts[0], runId, daemon.log());
  });

  test("/metrics exposes every daemon metric with samples; the run's page is its report", async () => {
    const daemon = second!;
    // The run queued behind the resumed one runs next; the run-scoped gauges are then its own.
    const lastRun = runIdOf(resolveRunConfig("smoke", { ...overrides, seed: "2" }));
    await until("the run queued behind it completes", async () =>
      (await statusOf(daemon, lastRun)) === "completed" ? true : undefined,
    );
    const metrics = await request(`${daemon.url}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(metrics.contentType, /text\/plain/);
    const samples = samplesByMetric(metrics.text);
    for (const name of daemonMetricNames) {
      assert.match(metrics.text, new RegExp(`# HELP ${name} `), `${name} has no help text`);
      assert.ok((samples.get(name) ?? 0) > 0, `${name} has no sample`);
    }
    assert.match(metrics.text, /mmzero_events_appended_total\{type="RunCompleted"\} [1-9]/);
    assert.match(
      metrics.text,
      /mmzero_unit_duration_seconds_count\{actor="proposer",unit_kind="step"\} [1-9]/,
    );
    assert.match(metrics.text, /mmzero_reward_component_mean\{role="proposer",component="total"\} -?[0-9.]+/);
    const components = [
      ...metrics.text.matchAll(/mmzero_reward_component_mean\{role="(\w+)",component="(\w+)"\}/g),
    ];
    assert.ok(components.length > 0);
    // Which response a reward scores and what the sample graph counts are not reward components.
    for (const [, role, component] of components)
      assert.ok(
        !["sample", "sampleIndex", "renderedCount"].includes(component!),
        `${role} ${component} is not a reward`,
      );
    assert.doesNotMatch(metrics.text, /mmzero_daemon_/, "default metrics keep their standard names");
    assert.match(metrics.text, /mmzero_grpo_kl\{role="(proposer|coder|solver)"\} -?[0-9.e-]+\n/);
    assert.match(metrics.text, new RegExp(`mmzero_benchmark_accuracy\\{run_id="${lastRun}"\\} [0-9.]+\n`));
    const scheduled = new RegExp(`mmzero_run_units_scheduled\\{run_id="${lastRun}"\\} (\\d+)\n`).exec(
      metrics.text,
    )?.[1];
    assert.ok(scheduled !== undefined && Number(scheduled) > 0, "units scheduled");
    assert.match(
      metrics.text,
      new RegExp(`mmzero_run_units_done\\{run_id="${lastRun}"\\} ${scheduled}\n`),
      "a completed run has done every unit",
    );
    const page = await request(`${daemon.url}/runs/${runId}`);
    assert.equal(page.status, 200);
    assert.match(page.contentType, /text\/html/);
    assert.ok(page.text.includes(runId));
    assert.match(page.text, /Content-Security-Policy/, "the report page (src/report), not the status page");
    assert.doesNotMatch(page.text, /daemon's status page/);
    const missing = await request(`${daemon.url}/runs/smoke-000000000000/status`);
    assert.equal(missing.status, 404);
  });

  test("a second SIGTERM-drained daemon exits cleanly too", async () => {
    const exit = await second!.stop("SIGTERM");
    assert.equal(exit.code, 0, second!.log());
    assert.ok(exit.exitMs < drainDeadlineMs, `the daemon took ${exit.exitMs} ms to exit`);
  });
});
