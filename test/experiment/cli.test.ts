// Goal: `mmzero experiment` runs a preset for every seed, evaluates every iteration's Solver, and
// writes experiment.json whose numbers agree with themselves: each run's base and final accuracy,
// the paired deltas against the base, the group sizes; the runs are the runs `mmzero run` makes
// (same run ids); re-running with one more seed reuses the finished runs and the cached
// evaluations and only runs and evaluates what is new; experiment.html is written.
// Method: the real binary as a child process on the `smoke` preset with a few evenly spaced items:
// first two seeds as `mmzero run` child processes (--parallel 2), then three seeds in-process.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runIdOf } from "../../src/actors/runtime.ts";
import { resolveRunConfig } from "../../src/config/presets.ts";
import type { ExperimentResult } from "../../src/experiment/experiment.ts";
import { makeTempDir, type TempDir } from "../support/temp-dir.ts";

const limit = 12;
const samples = 2;

function mmzero(argumentsList: readonly string[]) {
  return spawnSync(process.execPath, ["bin/mmzero.js", ...argumentsList], {
    encoding: "utf8",
    // Generous: about 30 s on an idle 2-core machine, but a shared one at load 40 was 20 times slower.
    timeout: 3_600_000,
  });
}

function experiment(outDir: string, seeds: string, parallel: number) {
  return mmzero([
    "experiment",
    "--preset",
    "smoke",
    "--seeds",
    seeds,
    "--limit",
    String(limit),
    "--samples",
    String(samples),
    "--parallel",
    String(parallel),
    "--out",
    outDir,
  ]);
}

async function readResult(outDir: string): Promise<ExperimentResult> {
  return JSON.parse(await readFile(join(outDir, "experiment.json"), "utf8"));
}

describe("mmzero experiment", () => {
  let workspace: TempDir;
  let outDir: string;
  let first: ReturnType<typeof mmzero>;
  let firstResult: ExperimentResult;

  before(async () => {
    workspace = await makeTempDir("experiment-cli");
    outDir = join(workspace.path, "out");
    first = experiment(outDir, "1,2", 2);
    if (first.status === 0) firstResult = await readResult(outDir);
  });
  after(async () => {
    await workspace[Symbol.asyncDispose]();
  });

  test("runs every seed as `mmzero run` would and evaluates every iteration's Solver", async () => {
    assert.equal(first.status, 0, first.stderr);
    const result = firstResult;
    assert.deepEqual(
      result.runs.map((run) => [run.seed, run.runId]),
      ["1", "2"].map((seed) => [seed, runIdOf(resolveRunConfig("smoke", undefined, { seed }))]),
    );
    assert.deepEqual(
      (await readdir(join(outDir, "runs"))).filter((name) => !name.endsWith(".log")).sort(),
      [...result.runs.map((run) => run.runId)].sort(),
    );
    assert.equal(result.benchmark.items, limit);
    for (const run of result.runs) {
      assert.deepEqual(
        run.solvers.map((solver) => solver.iteration),
        [0, 1],
      );
      for (const solver of run.solvers) {
        assert.equal(solver.greedy.total, limit);
        assert.equal(solver.majority?.total, limit);
      }
      assert.equal(run.oracle.length, 1, "one oracle entry per loop iteration");
      // The voting Solver's greedy answers are scored on exactly the items whose pseudo-labels were checked.
      const dataset = run.oracle[0]!.solverDataset;
      assert.equal(dataset?.greedyAccuracy?.total, dataset?.pseudoLabelAccuracy?.total);
    }
    // Every run starts from the same committed base: one checkpoint, one evaluation.
    assert.equal(new Set(result.runs.map((run) => run.solvers[0]!.checkpoint)).size, 1);
    assert.match(first.stdout, /final \(iteration 1\) minus base/);
    assert.match(first.stdout, /paired on items/);
    const html = await readFile(join(outDir, "experiment.html"), "utf8");
    assert.match(html, /data-chart="greedy"/);
  });

  test("the paired deltas and accuracies agree with each run's own counts", () => {
    assert.equal(first.status, 0, first.stderr);
    const result = firstResult;
    const configuration = result.analysis.configurations[0]!;
    assert.equal(configuration.name, "smoke");
    const final = configuration.iterations[1]!;
    const share = (tally: { correct: number; total: number }) => tally.correct / tally.total;
    const meanOver = (read: (run: ExperimentResult["runs"][number]) => number) =>
      result.runs.reduce((sum, run) => sum + read(run), 0) / result.runs.length;
    const expected = meanOver((run) => share(run.solvers[1]!.greedy) - share(run.solvers[0]!.greedy));
    assert.ok(Math.abs(final.vsBase!.greedy.overall.mean - expected) < 1e-12);
    assert.ok(
      Math.abs(
        configuration.iterations[0]!.accuracy.greedy.overall.mean -
          meanOver((run) => share(run.solvers[0]!.greedy)),
      ) < 1e-12,
    );
    const sizes = result.analysis.groupSizes;
    for (const named of [sizes.byLevel, sizes.byContentType, sizes.bySteps])
      assert.equal(
        Object.values(named).reduce((sum, size) => sum + size, 0),
        limit,
      );
    assert.equal(final.vsBase!.greedy.overall.perSeed.length, 2);
  });

  test("a third seed reuses the finished runs and cached evaluations and adds only what is new", async () => {
    assert.equal(first.status, 0, first.stderr);
    const cachedBefore = await readdir(join(outDir, "evaluations"));
    const again = experiment(outDir, "1,2,3", 1);
    assert.equal(again.status, 0, again.stderr);
    assert.equal((again.stderr.match(/reusing the finished run/g) ?? []).length, 2);
    assert.match(again.stderr, /smoke seed 3 \(smoke-[0-9a-f]{12}\): running/);
    const result = await readResult(outDir);
    assert.equal(result.runs.length, 3);
    const cachedAfter = await readdir(join(outDir, "evaluations"));
    const third = result.runs[2]!;
    // New: the third run's trained Solver on the benchmark (its base is the shared base, cached),
    // and its base's greedy answers on its own dataset items, if the oracle could check any.
    const added = cachedAfter.filter((name) => !cachedBefore.includes(name)).map((name) => name.slice(0, 64));
    const datasetChecked = third.oracle[0]!.solverDataset?.greedyAccuracy != null;
    assert.deepEqual(
      added.sort(),
      [third.solvers[1]!.checkpoint, ...(datasetChecked ? [third.solvers[0]!.checkpoint] : [])].sort(),
    );
    assert.match(again.stderr, new RegExp(`: ${added.length} evaluations? to do `));
    // The first two runs' numbers are unchanged.
    assert.deepEqual(result.runs.slice(0, 2), firstResult.runs);
  });
});
