// Analysis for docs/learning.md E13: how often the `requireConsistentWorkings` deviation changed a
// Solver-phase reward. Reads the recorded RewardScored events of an experiment configuration's runs and
// prints, per run, the share of Solver rollouts whose workings did not add up and the share counted right.
//
//   node bin/run-ts.js experiments/analysis/workings-check-share.mts <experiment dir> <configuration>
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { readFileLogReadOnly } from "../../src/store/index.ts";

const [experimentDir, configuration] = process.argv.slice(2);
if (experimentDir === undefined || configuration === undefined)
  throw new Error("usage: workings-check-share.mts <experiment dir> <configuration>");
const experiment: { runs: { configuration: string; seed: string; dir: string }[] } = JSON.parse(
  await readFile(join(experimentDir, "experiment.json"), "utf8"),
);
const percent = (count: number, total: number) => `${((100 * count) / total).toFixed(1)}%`;
for (const run of experiment.runs.filter((candidate) => candidate.configuration === configuration)) {
  let rollouts = 0;
  let inconsistent = 0;
  let right = 0;
  for await (const { event } of readFileLogReadOnly(join(run.dir, "events"))) {
    if (event.type !== "RewardScored" || event.payload.role !== "solver") continue;
    rollouts++;
    if (event.payload.components.workingsConsistent === 0) inconsistent++;
    if (event.payload.components.correct === 1) right++;
  }
  console.log(
    `${configuration} s${run.seed}: ${rollouts} Solver rollouts, workings inconsistent ${percent(inconsistent, rollouts)}, counted right ${percent(right, rollouts)}`,
  );
}
