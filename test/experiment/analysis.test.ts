// Goal: an experiment's pieces do what they claim: every iteration's Solver is the last Solver update
// at or before it (the base before any); configurations resolve and are named as documented, with
// clear errors for bad input; the analysis compares each iteration with the base, majority with
// greedy, and configurations at their final iterations, pairing seeds both ran.
// Method: known inputs (synthetic update records, config files in a temp dir, synthetic scores)
// against the values worked out by hand; a fast-check property for the comparison law.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { runIdOf } from "../../src/actors/runtime.ts";
import { InvalidRunConfigError, resolveRunConfig } from "../../src/config/presets.ts";
import { analyseBenchmark, type RunScores } from "../../src/experiment/analysis.ts";
import type { ItemFacets } from "../../src/experiment/item-groups.ts";
import { ExperimentPlanError, parseSeeds, planExperiment } from "../../src/experiment/plan.ts";
import { iterationSolvers } from "../../src/experiment/solver-checkpoints.ts";
import type { UpdateRecord } from "../../src/report/index.ts";
import { makeTempDir } from "../support/temp-dir.ts";

function update(
  role: UpdateRecord["role"],
  iteration: number,
  step: number,
  checkpoint: string,
): UpdateRecord {
  return { role, iteration, step, fromWeightHash: "w", weightHash: "w", checkpoint };
}

test("each iteration's Solver is the last Solver update at or before it; the base before any", () => {
  const updates = [
    update("proposer", 1, 0, "p1"),
    update("solver", 1, 0, "s1a"),
    update("solver", 1, 1, "s1b"),
    update("coder", 2, 0, "c2"),
    update("solver", 3, 0, "s3"),
  ];
  assert.deepEqual(iterationSolvers("base", updates, 3), [
    { iteration: 0, checkpoint: "base" },
    { iteration: 1, checkpoint: "s1b" },
    { iteration: 2, checkpoint: "s1b" },
    { iteration: 3, checkpoint: "s3" },
  ]);
  assert.deepEqual(iterationSolvers("base", [update("coder", 1, 0, "c1")], 1), [
    { iteration: 0, checkpoint: "base" },
    { iteration: 1, checkpoint: "base" },
  ]);
  // An iteration still running is not reported.
  assert.equal(iterationSolvers("base", updates, 1).length, 2);
});

test("seeds parse from a comma list; empty and repeated seeds are errors", () => {
  assert.deepEqual(parseSeeds("1, 2,3"), ["1", "2", "3"]);
  assert.throws(() => parseSeeds("1,,2"), ExperimentPlanError);
  assert.throws(() => parseSeeds("1,2,1"), /repeats a seed/);
});

test("configurations resolve as `mmzero run` does, named by --name or their file", async () => {
  await using dir = await makeTempDir("experiment-plan");
  const fast = join(dir.path, "fast.json");
  const slow = join(dir.path, "slow.json");
  await writeFile(fast, JSON.stringify({ optimizer: { learningRate: 0.001 } }));
  await writeFile(slow, JSON.stringify({ optimizer: { learningRate: 0.00001 } }));
  const request = {
    preset: "smoke",
    configPaths: [fast, slow],
    names: [],
    seeds: ["1", "2"],
    outDir: dir.path,
  };
  const plan = await planExperiment(request);
  assert.deepEqual(
    plan.configurations.map((configuration) => configuration.name),
    ["fast", "slow"],
  );
  assert.equal(plan.runs.length, 4);
  const expected = resolveRunConfig("smoke", { optimizer: { learningRate: 0.001 } }, { seed: "2" });
  assert.equal(plan.runs[1]!.runId, runIdOf(expected));
  assert.equal(plan.runs[1]!.dir, join(dir.path, "runs", runIdOf(expected)));
  assert.equal(plan.runs[1]!.config.optimizer.learningRate, 0.001);

  const named = await planExperiment({ ...request, names: ["a", "b"] });
  assert.deepEqual(
    named.runs.map((run) => run.configuration),
    ["a", "a", "b", "b"],
  );
  const alone = await planExperiment({ ...request, configPaths: [] });
  assert.deepEqual(
    alone.configurations.map((configuration) => [configuration.name, configuration.configPath]),
    [["smoke", null]],
  );
  assert.equal(alone.runs[0]!.runId, runIdOf(resolveRunConfig("smoke", undefined, { seed: "1" })));

  await assert.rejects(planExperiment({ ...request, names: ["only-one"] }), /2 configurations/);
  await assert.rejects(planExperiment({ ...request, names: ["x", "x"] }), /must differ/);
  await assert.rejects(
    planExperiment({ ...request, configPaths: [fast, fast], names: ["a", "b"] }),
    /same run configuration/,
  );
  await assert.rejects(
    planExperiment({ ...request, configPaths: [join(dir.path, "missing.json")] }),
    /cannot read config file/,
  );
  await writeFile(slow, JSON.stringify({ optimizer: { learningRat: 1 } }));
  await assert.rejects(planExperiment(request), InvalidRunConfigError);
});

const items: ItemFacets[] = [
  { id: "a", level: "easy", contentType: "table", steps: 1 },
  { id: "b", level: "hard", contentType: "table", steps: 2 },
  { id: "c", level: "hard", contentType: "geometry", steps: 3 },
  { id: "d", level: "hard", contentType: "geometry", steps: 2 },
];

function run(
  configuration: string,
  seed: string,
  greedy: number[][],
  majority: number[][] | null,
): RunScores {
  return {
    configuration,
    seed,
    runId: `${configuration}-${seed}`,
    solvers: greedy.map((scores, iteration) => ({
      iteration,
      checkpoint: `${configuration}-${seed}-${iteration}`,
      greedy: scores,
      majority: majority === null ? null : majority[iteration]!,
    })),
  };
}

test("deltas against the base, majority minus greedy, and between configurations, by hand", () => {
  const runs = [
    run(
      "a",
      "1",
      [
        [1, 0, 0, 0],
        [1, 1, 0, 0],
      ],
      [
        [1, 1, 0, 0],
        [1, 1, 1, 0],
      ],
    ),
    run(
      "a",
      "2",
      [
        [1, 0, 0, 0],
        [1, 0, 1, 1],
      ],
      [
        [1, 0, 0, 0],
        [1, 1, 1, 1],
      ],
    ),
    run(
      "b",
      "1",
      [
        [1, 0, 0, 0],
        [0, 0, 0, 0],
      ],
      [
        [1, 0, 0, 0],
        [0, 0, 0, 0],
      ],
    ),
    // A seed only b ran is left out of the a/b comparison.
    run(
      "b",
      "3",
      [
        [1, 0, 0, 0],
        [1, 1, 1, 1],
      ],
      [
        [1, 0, 0, 0],
        [1, 1, 1, 1],
      ],
    ),
  ];
  const analysis = analyseBenchmark(items, ["a", "b"], runs);
  assert.deepEqual(analysis.groupSizes, {
    overall: 4,
    byLevel: { easy: 1, hard: 3 },
    byContentType: { geometry: 2, table: 2 },
    bySteps: { "1": 1, "2": 2, "3": 1 },
  });
  const [a, b] = analysis.configurations;
  assert.equal(a!.iterations[0]!.vsBase, null);
  const final = a!.iterations[1]!;
  // Seed 1 gains item b, seed 2 gains c and d: item deltas averaged over seeds 0, 0.5, 0.5, 0.5.
  // Per seed: 1/4 and 2/4.
  assert.equal(final.vsBase!.greedy.overall.mean, 0.375);
  assert.deepEqual(
    final.vsBase!.greedy.overall.perSeed.map((seed) => [seed.seed, seed.mean]),
    [
      ["1", 0.25],
      ["2", 0.5],
    ],
  );
  assert.equal(final.vsBase!.greedy.byLevel.easy!.mean, 0);
  assert.equal(final.vsBase!.greedy.byLevel.hard!.mean, 0.5);
  assert.equal(final.vsBase!.greedy.bySteps["2"]!.mean, 0.5);
  assert.equal(final.accuracy.greedy.overall.mean, 0.625);
  // Majority minus greedy on the base: seed 1 gains item b; seed 2 nothing.
  assert.equal(a!.iterations[0]!.majorityMinusGreedy!.overall.mean, 0.125);
  assert.equal(b!.iterations[1]!.accuracy.greedy.overall.mean, 0.5);

  const [comparison] = analysis.comparisons;
  assert.equal(comparison!.a, "a");
  assert.equal(comparison!.b, "b");
  assert.equal(comparison!.delta.greedy.overall.seeds, 1);
  // Seed 1: b's final (0,0,0,0) minus a's final (1,1,0,0).
  assert.equal(comparison!.delta.greedy.overall.mean, -0.5);
  assert.equal(comparison!.delta.majority!.overall.mean, -0.75);
});

test("greedy only: no majority figures; a shorter seed limits its configuration's iterations", () => {
  const analysis = analyseBenchmark(
    items,
    ["a"],
    [
      run(
        "a",
        "1",
        [
          [1, 0, 0, 0],
          [1, 1, 0, 0],
          [1, 1, 1, 0],
        ],
        null,
      ),
      run(
        "a",
        "2",
        [
          [1, 0, 0, 0],
          [0, 0, 0, 0],
        ],
        null,
      ),
    ],
  );
  const configuration = analysis.configurations[0]!;
  assert.equal(configuration.iterations.length, 2);
  assert.equal(configuration.iterations[1]!.vsBase!.majority, null);
  assert.equal(configuration.iterations[1]!.accuracy.majority, null);
  assert.equal(configuration.iterations[0]!.majorityMinusGreedy, null);
});

test("a comparison of B with A is the comparison of A with B negated", () => {
  const scores = fc.array(fc.constantFrom(0, 1), { minLength: items.length, maxLength: items.length });
  fc.assert(
    fc.property(
      fc.array(fc.tuple(scores, scores, scores, scores), { minLength: 1, maxLength: 3 }),
      (seeds) => {
        const runs = seeds.flatMap(([a0, a1, b0, b1], index) => [
          run("a", String(index), [a0, a1], null),
          run("b", String(index), [b0, b1], null),
        ]);
        const forward = analyseBenchmark(items, ["a", "b"], runs).comparisons[0]!.delta.greedy.overall;
        const backward = analyseBenchmark(items, ["b", "a"], runs).comparisons[0]!.delta.greedy.overall;
        assert.ok(forward.mean === -backward.mean);
        assert.ok(forward.low === (backward.high === null ? null : -backward.high));
      },
    ),
    { seed: 20261204 },
  );
});
