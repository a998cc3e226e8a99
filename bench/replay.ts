// Replay speed against the original run's event rate, measured in the same process: record a run
// (the baseline: events per second of the real run), then fold it and verify it (medians of
// `--rounds`). Fold reads, checks and folds the log; verify re-executes scoring, filtering, renders
// and GRPO updates from the recorded samples (and with --resample also the sampling).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runSession } from "../src/app/index.ts";
import { resolveRunConfig } from "../src/config/index.ts";
import { foldRun, readRecordedRun, verifyRun } from "../src/replay/index.ts";
import { median } from "./common.ts";

const rounds = Number(process.argv.find((arg) => arg.startsWith("--rounds="))?.split("=")[1] ?? 3);
const preset = process.argv.find((arg) => arg.startsWith("--preset="))?.split("=")[1] ?? "smoke";
const modelPreset = process.argv.find((arg) => arg.startsWith("--model="))?.split("=")[1] ?? "test";
const quiet = { unit() {}, metrics() {} };

const directory = await mkdtemp(join(tmpdir(), "mmzero-bench-replay-"));
try {
  const config = resolveRunConfig(preset, { model: { preset: modelPreset } });
  const started = performance.now();
  const result = await runSession({
    config,
    outDir: directory,
    resume: false,
    progress: quiet,
    clock: { nowIso: () => new Date().toISOString() },
  });
  const runSeconds = (performance.now() - started) / 1000;
  if (result.status !== "completed") throw new Error(`the run failed: ${result.failure?.message}`);
  const runRate = result.eventCount / runSeconds;
  const foldRates: number[] = [];
  const verifyRates: number[] = [];
  const resampleRates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const foldStarted = performance.now();
    const run = await readRecordedRun(directory);
    foldRun(run);
    foldRates.push(run.events.length / ((performance.now() - foldStarted) / 1000));
    const verified = await verifyRun(run, { resample: false, progress: quiet });
    if (verified.status !== "identical")
      throw new Error(`verify: ${verified.divergence?.message ?? verified.failure?.message}`);
    verifyRates.push(verified.checked / verified.seconds);
    const resampled = await verifyRun(run, { resample: true, progress: quiet });
    if (resampled.status !== "identical") throw new Error(`resample: ${resampled.divergence?.message}`);
    resampleRates.push(resampled.checked / resampled.seconds);
  }
  console.log(
    `replay speed, preset ${preset}, model ${modelPreset}: ${result.eventCount} events, ${rounds} rounds (medians)`,
  );
  console.log(`original run        ${runRate.toFixed(0).padStart(8)} events/s   1.00`);
  for (const [label, rates] of [
    ["fold", foldRates],
    ["verify", verifyRates],
    ["verify --resample", resampleRates],
  ] as const) {
    const rate = median(rates);
    console.log(
      `${label.padEnd(19)} ${rate.toFixed(0).padStart(8)} events/s ${(rate / runRate).toFixed(2).padStart(6)}`,
    );
  }
} finally {
  await rm(directory, { recursive: true, force: true });
}
