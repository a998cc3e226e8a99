// Scale-out over NATS: Coder- and Solver-phase throughput (samples/s) of a run whose coder, solver
// and render work is served by 1 and then 2 `mmzero worker` processes (the run's own process hosts
// only the Proposer and the Trainer), measured in the same run; prints the 2-worker/1-worker ratio.
// Each measurement uses a fresh nats-server on loopback. On a 2-core machine the ceiling is about 2x
// and the run's own process competes for the same cores.
//
//   node bin/run-ts.js bench/scale-out.ts [--preset=quick] [--model=<preset's model>] [--rounds=8]
//
// Runs --rounds 1-worker/2-worker pairs, interleaved (order alternating per pair), and prints the
// pooled ratio (all 1-worker time over all 2-worker time for the same samples) with the pairs' own
// ratios as the spread. Why pooled over 8 pairs: at 3 pairs the median moved by up to 0.16 between
// runs, since one scheduling hiccup moves a 2-4 s phase by 0.3. Never hangs on a worker: after the
// run each worker gets SIGTERM and is awaited (its drain has a deadline, and it stops at once when
// the server is gone); one still alive after workerExitWaitMs is killed and named.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { runSession } from "../src/app/index.ts";
import { resolveRunConfig } from "../src/config/index.ts";
import { readFileLogReadOnly } from "../src/store/index.ts";
import { startNatsServer } from "../test/support/nats-server.ts";
import { makeTempDir } from "../test/support/temp-dir.ts";
import { median, phaseTimer, pooledRatioSummary, rolePhaseOf } from "./common.ts";

const preset = process.argv.find((arg) => arg.startsWith("--preset="))?.split("=")[1] ?? "quick";
const rounds = Number(process.argv.find((arg) => arg.startsWith("--rounds="))?.split("=")[1] ?? 8);
/** Past the worker's own drain deadline (30 s): only a worker that ignores it gets SIGKILL. */
const workerExitWaitMs = 45_000;
// As loop.ts: the preset's own model unless --model says otherwise (`test` makes the model's work
// about 3x cheaper than the `small` a quick run uses).
const modelOverride = process.argv.find((arg) => arg.startsWith("--model="))?.split("=")[1];
/** As loop.ts: a longer render timeout so a loaded machine does not fail a run (same for every round). */
const benchConfig = resolveRunConfig(preset, {
  ...(modelOverride === undefined ? {} : { model: { preset: modelOverride } }),
  render: { timeoutMs: 30_000 },
});
const cli = join(import.meta.dirname, "../bin/mmzero.js");

async function measure(workers: number): Promise<Record<string, number>> {
  await using server = await startNatsServer();
  await using directory = await makeTempDir("scale-out");
  const children = Array.from({ length: workers }, () =>
    spawn(
      process.execPath,
      [cli, "worker", "--roles", "coder,solver,render", "--nats", server.url, "--render-timeout-ms", "30000"],
      {
        stdio: ["ignore", "ignore", "pipe"],
      },
    ),
  );
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) =>
          child.stderr.on("data", (chunk: Buffer) => chunk.toString().includes("serving") && resolve()),
        ),
    ),
  );
  const timer = phaseTimer(rolePhaseOf);
  const result = await runSession({
    config: benchConfig,
    outDir: directory.path,
    natsUrl: server.url,
    localRoles: ["proposer", "trainer"],
    resume: false,
    progress: timer.sink,
    clock: { nowIso: () => new Date().toISOString() },
  });
  timer.end();
  await Promise.all(children.map((child) => stopWorker(child)));
  if (result.status !== "completed") throw new Error(`run failed: ${result.failure?.message}`);
  // Samples per phase are the same in every round (same config, same events): count them once from the reference.
  return timer.seconds;
}

/** SIGTERM, then wait for the exit; SIGKILL (and say so) past workerExitWaitMs. */
async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), workerExitWaitMs);
  });
  if (await Promise.race([exited.then(() => false), late])) {
    process.stderr.write(`worker ${child.pid} still draining after ${workerExitWaitMs / 1000} s: SIGKILL\n`);
    child.kill("SIGKILL");
    await exited;
  }
  clearTimeout(timer);
}

async function samplesPerPhase(): Promise<Record<string, number>> {
  await using directory = await makeTempDir("scale-out-reference");
  await runSession({
    config: benchConfig,
    outDir: directory.path,
    resume: false,
    progress: { unit() {}, metrics() {} },
    clock: { nowIso: () => "" },
  });
  const counts: Record<string, number> = {};
  for await (const { event } of readFileLogReadOnly(join(directory.path, "events"))) {
    if (!("phase" in event.payload)) continue;
    const phase = String(event.payload.phase);
    if (event.type === "CodeSampled") counts[phase] = (counts[phase] ?? 0) + 1;
    if (event.type === "AnswersSampled") counts[phase] = (counts[phase] ?? 0) + event.payload.samples.length;
  }
  return counts;
}

const samples = await samplesPerPhase();
const one: Record<string, number>[] = [];
const two: Record<string, number>[] = [];
for (let round = 0; round < rounds; round++) {
  // Interleaved pairs, the order alternating, so machine noise and warm-up hit both alike.
  if (round % 2 === 0) {
    one.push(await measure(1));
    two.push(await measure(2));
  } else {
    two.push(await measure(2));
    one.push(await measure(1));
  }
  process.stderr.write(`pair ${round + 1}/${rounds} done\n`);
}
const rate = (seconds: Record<string, number>, phase: string) =>
  (samples[phase] ?? 0) / (seconds[phase] ?? Number.POSITIVE_INFINITY);
console.log(
  `scale-out over NATS, preset ${preset}, model ${benchConfig.model.preset}, ${rounds} interleaved pairs`,
);
console.log("phase     samples   1 worker samples/s   2 workers samples/s   pooled ratio (pairs' min-max)");
for (const phase of ["coder", "solver"]) {
  // 2-worker samples/s over 1-worker samples/s for the same samples = 1-worker time over 2-worker time.
  const pairs = two.map((seconds, pair) => ({
    baseline: one[pair]?.[phase] ?? Number.NaN,
    measured: seconds[phase] ?? Number.NaN,
  }));
  console.log(
    `${phase.padEnd(9)} ${String(samples[phase] ?? 0).padStart(7)} ${median(
      one.map((seconds) => rate(seconds, phase)),
    )
      .toFixed(1)
      .padStart(20)} ${median(two.map((seconds) => rate(seconds, phase)))
      .toFixed(1)
      .padStart(21)} ${pooledRatioSummary(pairs).padStart(18)}`,
  );
}
