// Goal: `mmzero eval` scores a Solver on the benchmark and reports totals that add up: every item once,
// per level and per content type, greedy and majority-of-k, each correct count matching the per-item
// verdicts; with several draws the first is the single-vote report and the rest are further answers of
// each item's keyed stream; it finds a run's final Solver in the run's log; the CLI prints the same
// report as JSON.
// Method: the committed test base on a handful of evenly spaced benchmark items; a run directory
// built with the store's file log holding PolicyUpdated events.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { eventId } from "../../src/events/index.ts";
import { decodeCheckpoint, selectBackend } from "../../src/gpu/index.ts";
import {
  type AccuracyBreakdown,
  analyseVoteDraws,
  type EvaluationReport,
  evaluateCheckpoint,
  evaluateSolver,
  evenlySpaced,
  loadSolver,
  RunWithoutSolverUpdateError,
  SolverNotFoundError,
} from "../../src/pretrain/index.ts";
import { answersEquivalent } from "../../src/rewards/index.ts";
import { openFileBlobStore, openFileLog } from "../../src/store/index.ts";
import { parseBenchmarkJsonl } from "../../src/world/index.ts";
import type { DraftOf } from "../support/events.ts";
import { makeTempDir } from "../support/temp-dir.ts";

const testBase = new URL("../../models/base-test.ckpt", import.meta.url).pathname;
const benchmarkPath = new URL("../../bench/data/benchmark.jsonl", import.meta.url).pathname;
const benchmark = parseBenchmarkJsonl(readFileSync(benchmarkPath, "utf8"));
const limit = 8;

function assertTotalsAddUp(
  breakdown: AccuracyBreakdown,
  verdicts: readonly boolean[],
  report: EvaluationReport,
): void {
  assert.equal(breakdown.overall.total, limit);
  assert.equal(breakdown.overall.correct, verdicts.filter(Boolean).length);
  const levels = Object.values(breakdown.byLevel);
  const contentTypes = Object.values(breakdown.byContentType);
  for (const groups of [levels, contentTypes]) {
    assert.equal(
      groups.reduce((sum, group) => sum + group.total, 0),
      limit,
    );
    assert.equal(
      groups.reduce((sum, group) => sum + group.correct, 0),
      breakdown.overall.correct,
    );
  }
  assert.equal(
    breakdown.byLevel.hard?.total,
    report.results.filter((result) => result.level === "hard").length,
  );
}

test("reports every item once, with totals that add up", async () => {
  await selectBackend({ name: "wasm" });
  const report = await evaluateCheckpoint({
    solverPath: testBase,
    benchmarkPath,
    seed: "eval-test",
    samples: 3,
    temperature: 1,
    limit,
    roleSamples: 4,
  });
  const chosen = evenlySpaced(benchmark, limit);
  assert.deepEqual(
    report.results.map((result) => result.id),
    chosen.map((item) => item.id),
  );
  assert.equal(
    new Set(chosen.map((item) => item.content_type)).size,
    4,
    "a spaced slice keeps every content type",
  );
  for (const result of report.results) {
    assert.equal(result.greedyCorrect, answersEquivalent(result.greedyAnswer, result.answer));
    assert.ok(result.majorityAnswer !== null);
  }
  assert.equal(report.summary.items, limit);
  assert.equal(report.benchmark.itemsInFile, benchmark.length);
  assertTotalsAddUp(
    report.summary.greedy,
    report.results.map((result) => result.greedyCorrect),
    report,
  );
  assert.ok(report.summary.majority !== null);
  assertTotalsAddUp(
    report.summary.majority,
    report.results.map((result) => result.majorityCorrect === true),
    report,
  );
  assert.equal(report.roles?.proposer.formatValid.total, 4);
  assert.equal(report.roles?.coder.renders.total, 4);
  const base = decodeCheckpoint(readFileSync(testBase));
  assert.equal(report.solver.weightHash, base.weightHash);
  base.model.dispose();

  const again = await evaluateCheckpoint({
    solverPath: testBase,
    benchmarkPath,
    seed: "eval-test",
    samples: 3,
    temperature: 1,
    limit,
    roleSamples: 0,
  });
  assert.deepEqual(again.results, report.results, "evaluation is deterministic");
  assert.equal(again.roles, null);

  const cooler = await evaluateCheckpoint({
    solverPath: testBase,
    benchmarkPath,
    seed: "eval-test",
    samples: 3,
    temperature: 0.25,
    limit,
    roleSamples: 0,
  });
  assert.equal(cooler.temperature, 0.25);
  assert.deepEqual(
    cooler.results.map((result) => result.greedyAnswer),
    report.results.map((result) => result.greedyAnswer),
    "the greedy answers do not depend on the sampling temperature",
  );
});

test("several draws: the first is the single-vote report, the others the next answers of each item's keyed stream", async () => {
  await selectBackend({ name: "wasm" });
  const request = {
    solverPath: testBase,
    benchmarkPath,
    seed: "eval-draws",
    samples: 2,
    temperature: 1,
    limit,
    roleSamples: 0,
  };
  const single = await evaluateCheckpoint(request);
  assert.equal(single.voteDraws, null);
  const drawn = await evaluateCheckpoint({ ...request, draws: 3 });
  assert.deepEqual(drawn.results, single.results);
  assert.deepEqual(drawn.summary, single.summary);
  const items = evenlySpaced(benchmark, limit);
  const solver = await loadSolver(testBase);
  try {
    const draw = (firstSample: number) =>
      evaluateSolver(solver.model, items, { seed: "eval-draws", samples: 2, temperature: 1, firstSample });
    assert.deepEqual(
      drawn.voteDraws,
      analyseVoteDraws([single.results, await draw(2), await draw(4)], { minimum: 0.25, maximum: 0.75 }),
      "draw d holds answers 2d and 2d + 1 of each item's keyed stream",
    );
  } finally {
    solver.model.dispose();
  }
  await assert.rejects(evaluateCheckpoint({ ...request, samples: 0, draws: 2 }), RangeError);
});

test("a run directory's Solver is the checkpoint of its last solver PolicyUpdated", async () => {
  await using directory = await makeTempDir("eval-run");
  const runId = "eval-test-run";
  await using blobs = await openFileBlobStore(join(directory.path, "blobs"));
  const solverCheckpoint = await blobs.put(readFileSync(testBase));
  const otherCheckpoint = await blobs.put(Uint8Array.from([1, 2, 3]));
  const producer = { role: "trainer", version: 0 } as const;
  const update = (role: "coder" | "solver", step: number, checkpoint: string): DraftOf<"PolicyUpdated"> => ({
    runId,
    id: eventId(runId, producer, `update/${role}/${step}`),
    causationId: null,
    correlationId: null,
    producer,
    at: "2026-01-01T00:00:00.000Z",
    v: 1,
    type: "PolicyUpdated",
    payload: {
      role,
      iteration: 1,
      step,
      fromWeightHash: "a".repeat(64),
      weightHash: "b".repeat(64),
      checkpoint,
      loss: 0,
      policyLoss: 0,
      kl: 0,
      clipFraction: 0,
      gradNorm: 0,
      tokenCount: 0,
      groupIds: [],
      optimizerState: checkpoint,
    },
  });
  {
    await using log = await openFileLog(join(directory.path, "events"), { runId });
    await log.append([update("solver", 0, otherCheckpoint)]);
    await assert.rejects(
      loadSolver(directory.path),
      { name: "CheckpointFormatError" },
      "the first update's blob is read",
    );
    await log.append([update("solver", 1, solverCheckpoint), update("coder", 2, otherCheckpoint)]);
    const loaded = await loadSolver(directory.path);
    assert.match(loaded.source, new RegExp(solverCheckpoint));
    loaded.model.dispose();
  }
  await using empty = await makeTempDir("eval-empty-run");
  {
    await using log = await openFileLog(join(empty.path, "events"), { runId });
    assert.equal((await log.head()).seq, 0);
  }
  await assert.rejects(loadSolver(empty.path), RunWithoutSolverUpdateError);
  await assert.rejects(loadSolver(join(empty.path, "missing.ckpt")), SolverNotFoundError);
});

/** `mmzero eval` on the test base with these further flags. */
function evalCli(flags: readonly string[]) {
  return spawnSync(process.execPath, ["bin/mmzero.js", "eval", "--solver", testBase, ...flags], {
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, MMZERO_BACKEND: "wasm" },
  });
}

test("the CLI prints the report as JSON", () => {
  const run = evalCli(["--limit", "4", "--samples", "1", "--json"]);
  assert.equal(run.status, 0, run.stderr);
  const report = JSON.parse(run.stdout) as EvaluationReport;
  assert.equal(report.summary.items, 4);
  assert.equal(report.summary.greedy.overall.total, 4);
  assert.equal(report.summary.samples, 1);
  assert.equal(report.temperature, 1);
  assert.equal(report.voteDraws, null);
});

test("the CLI samples at --temperature and refuses one outside (0, 5]", () => {
  const evaluate = (temperature: string) =>
    evalCli(["--limit", "2", "--samples", "1", "--temperature", temperature, "--json"]);
  const run = evaluate("0.7");
  assert.equal(run.status, 0, run.stderr);
  assert.equal((JSON.parse(run.stdout) as EvaluationReport).temperature, 0.7);
  const refused = evaluate("0");
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /--temperature.*expected a temperature in \(0, 5\], got "0"/);
});

test("the CLI averages over --draws votes and refuses draws without samples or below 1", () => {
  const drawn = evalCli(["--limit", "4", "--samples", "1", "--draws", "2", "--json"]);
  assert.equal(drawn.status, 0, drawn.stderr);
  assert.equal((JSON.parse(drawn.stdout) as EvaluationReport).voteDraws?.draws, 2);
  const table = evalCli(["--limit", "4", "--samples", "1", "--draws", "2"]);
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /over 2 draws of 1/);
  assert.match(table.stdout, /by answer kind/);
  const noSamples = evalCli(["--samples", "0", "--draws", "2"]);
  assert.notEqual(noSamples.status, 0);
  assert.match(noSamples.stderr, /draws 2 need sampled answers: samples is 0/);
  const none = evalCli(["--draws", "0"]);
  assert.notEqual(none.status, 0);
  assert.match(none.stderr, /--draws.*expected a positive whole number, got "0"/);
});
