// Analysis for docs/learning.md E10: does the loop teach its Solver anything on the loop's own kind of
// item, even where the public benchmark shows no gain? For each run of an experiment, the hard items of
// the Solver dataset of iteration t (images, questions and pixels exactly as the loop's Solver saw
// them; the oracle's answer on the caption's scene only scores) are answered greedily by the base and
// by the Solver of every iteration before t, none of which trained on them. Paired on items.
//
//   node bin/run-ts.js experiments/analysis/loop-item-transfer.mts <experiment dir> [configuration]
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { evaluateJob } from "../../src/experiment/evaluations.ts";
import { datasetCollector, probeItem, tapEvents } from "../../src/experiment/solver-dataset.ts";
import { selectBackend } from "../../src/gpu/index.ts";
import { foldReportEvents, meanInterval } from "../../src/report/index.ts";
import { readFileLogReadOnly } from "../../src/store/index.ts";

interface ExperimentRun {
  readonly configuration: string;
  readonly seed: string;
  readonly dir: string;
  readonly solvers: readonly { readonly iteration: number; readonly checkpoint: string }[];
}

const [experimentDir, configuration] = process.argv.slice(2);
if (experimentDir === undefined)
  throw new Error("usage: loop-item-transfer.mts <experiment dir> [configuration]");
const experiment: { runs: ExperimentRun[] } = JSON.parse(
  await readFile(join(experimentDir, "experiment.json"), "utf8"),
);
await selectBackend();

/** Per (dataset iteration, Solver iteration): each item's greedy correctness minus the base's. */
const deltas = new Map<string, number[]>();
const accuracy = new Map<string, { right: number; items: number }>();
for (const run of experiment.runs.filter(
  (run) => configuration === undefined || run.configuration === configuration,
)) {
  const collector = datasetCollector();
  const state = await foldReportEvents(
    tapEvents(readFileLogReadOnly(join(run.dir, "events")), collector.observe),
  );
  const probes = collector.probes(state);
  for (const datasetIteration of [...new Set(probes.map((probe) => probe.iteration))].sort()) {
    const items = probes.filter((probe) => probe.iteration === datasetIteration && probe.level === "hard");
    const solvers = run.solvers.filter((solver) => solver.iteration < datasetIteration);
    const scores = new Map<number, number[]>();
    for (const solver of solvers) {
      const results = await evaluateJob(
        {
          checkpoint: solver.checkpoint,
          runDir: run.dir,
          items: items.map(probeItem),
          samples: 0,
          temperature: 1,
          seed: "loop-item-transfer",
          pixelHashes: Object.fromEntries(items.map((probe) => [probe.imageId, probe.pixelHash])),
          settings: null,
        },
        () => {},
      );
      scores.set(
        solver.iteration,
        results.map((result) => Number(result.greedyCorrect === true)),
      );
    }
    const base = scores.get(0)!;
    for (const [iteration, values] of scores) {
      const key = `dataset ${datasetIteration}, Solver ${iteration}`;
      const tally = accuracy.get(key) ?? { right: 0, items: 0 };
      tally.right += values.reduce((sum, value) => sum + value, 0);
      tally.items += values.length;
      accuracy.set(key, tally);
      deltas.set(key, [...(deltas.get(key) ?? []), ...values.map((value, index) => value - base[index]!)]);
    }
    process.stderr.write(
      `${run.configuration} s${run.seed}: dataset ${datasetIteration} (${items.length} items) done\n`,
    );
  }
}
for (const [key, values] of [...deltas].sort()) {
  const { right, items } = accuracy.get(key)!;
  const interval = meanInterval(values);
  const points = (value: number | null) =>
    value === null ? "–" : `${value >= 0 ? "+" : ""}${(100 * value).toFixed(1)}`;
  console.log(
    `${key}: right ${right}/${items}, minus base ${points(interval.mean)} [${points(interval.low)}, ${points(interval.high)}]`,
  );
}
