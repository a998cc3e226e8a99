// Scale-out over NATS: Coder- and Solver-phase throughput (samples/s) of a run whose coder, solver
// and render work is served by 1 and then 2 `mmzero worker` processes (the run's own process hosts
// only the Proposer and the Trainer), measured in the same run; prints the 2-worker/1-worker ratio.
// Each round uses a fresh nats-server on loopback. On a 2-core machine the ceiling is about 2x and
// the run's own process competes for the same cores.
import { spawn } from "node:child_process";
import { join } from "node:path";
import type { ProgressSink } from "../src/actors/index.ts";
import { runSession } from "../src/app/index.ts";
import { resolveRunConfig } from "../src/config/index.ts";
import { readFileLogReadOnly } from "../src/store/index.ts";
import { startNatsServer } from "../test/support/nats-server.ts";
import { makeTempDir } from "../test/support/temp-dir.ts";

const preset = process.argv.find((arg) => arg.startsWith("--preset="))?.split("=")[1] ?? "smoke";
const modelPreset = process.argv.find((arg) => arg.startsWith("--model="))?.split("=")[1] ?? "test";
const cli = join(import.meta.dirname, "../bin/mmzero.js");

function phaseSeconds(): { sink: ProgressSink; seconds: Record<string, number> } {
  const seconds: Record<string, number> = {};
  let phase = "setup";
  let started = performance.now();
  return {
    seconds,
    sink: {
      unit(description) {
        const now = performance.now();
        seconds[phase] = (seconds[phase] ?? 0) + (now - started) / 1000;
        started = now;
        phase = /· (coder|solver|proposer)/.exec(description)?.[1] ?? "other";
      },
      metrics() {},
    },
  };
}

async function measure(workers: number): Promise<Record<string, number>> {
  await using server = await startNatsServer();
  await using directory = await makeTempDir("scale-out");
  const children = Array.from({ length: workers }, () =>
    spawn(process.execPath, [cli, "worker", "--roles", "coder,solver,render", "--nats", server.url], {
      stdio: ["ignore", "ignore", "pipe"],
    }),
  );
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) =>
          child.stderr.on("data", (chunk: Buffer) => chunk.toString().includes("serving") && resolve()),
        ),
    ),
  );
  const timing = phaseSeconds();
  const config = resolveRunConfig(preset, { model: { preset: modelPreset } });
  const result = await runSession({
    config,
    outDir: directory.path,
    natsUrl: server.url,
    localRoles: ["proposer", "trainer"],
    resume: false,
    progress: timing.sink,
    clock: { nowIso: () => new Date().toISOString() },
  });
  timing.sink.unit("end");
  for (const child of children) child.kill("SIGTERM");
  if (result.status !== "completed") throw new Error(`run failed: ${result.failure?.message}`);
  // Samples per phase are the same in every round (same config, same events): count them once from the reference.
  return timing.seconds;
}

async function samplesPerPhase(): Promise<Record<string, number>> {
  await using directory = await makeTempDir("scale-out-reference");
  const config = resolveRunConfig(preset, { model: { preset: modelPreset } });
  await runSession({
    config,
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
const one = await measure(1);
const two = await measure(2);
console.log(`scale-out over NATS, preset ${preset}, model ${modelPreset}`);
console.log("phase     samples   1 worker samples/s   2 workers samples/s   ratio");
for (const phase of ["coder", "solver"]) {
  const rateOne = (samples[phase] ?? 0) / (one[phase] ?? 1);
  const rateTwo = (samples[phase] ?? 0) / (two[phase] ?? 1);
  console.log(
    `${phase.padEnd(9)} ${String(samples[phase] ?? 0).padStart(7)} ${rateOne.toFixed(1).padStart(20)} ${rateTwo.toFixed(1).padStart(21)} ${(rateTwo / rateOne).toFixed(2).padStart(7)}`,
  );
}
