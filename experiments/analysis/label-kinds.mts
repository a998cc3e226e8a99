// Analysis for docs/learning.md E32 (ANALYSIS ONLY: the oracle's answers score, nothing here feeds a
// run): on the loop's own Solver datasets, are the pseudo-labels right more often than the voting
// Solver's greedy answer, by the kind of label (a whole number, yes/no, a word)? E32 finds that on the
// benchmark the vote leads greedy only where the answer is a number. Reads an experiment directory:
// the runs' DatasetBuilt events (the labels) and the experiment's cached dataset evaluations (the
// voting Solver's greedy answer on the same pixels, scored by the oracle's answer), grouped by the
// experiment's configuration names (experiment.json).
//
//   node bin/run-ts.js experiments/analysis/label-kinds.mts <experiment dir>...
import { join } from "node:path";
import { answerKind, type ItemResult } from "../../src/pretrain/index.ts";
import { answersEquivalent } from "../../src/rewards/index.ts";
import { readFileLogReadOnly } from "../../src/store/index.ts";
import { readDatasetEvaluations, readExperimentRuns } from "./experiment-dir.ts";

const experimentDirs = process.argv.slice(2);
if (experimentDirs.length === 0) throw new Error("usage: label-kinds.mts <experiment dir>...");

interface Label {
  readonly configuration: string;
  readonly pseudoLabel: string;
}

const labels = new Map<string, Label>();
const results: ItemResult[] = [];
for (const experimentDir of experimentDirs) {
  for (const { configuration, dir } of await readExperimentRuns(experimentDir))
    for await (const { event } of readFileLogReadOnly(join(dir, "events"))) {
      if (event.type !== "DatasetBuilt" || event.payload.phase !== "solver") continue;
      for (const item of event.payload.items)
        if ((item.level ?? "hard") === "hard")
          labels.set(item.imageId, { configuration, pseudoLabel: item.pseudoLabel });
    }
  results.push(...(await readDatasetEvaluations(experimentDir)));
}

type Tally = { items: number; labelRight: number; greedyRight: number };
const tallies = new Map<string, Tally>();
const seen = new Set<string>();
for (const result of results) {
  const label = labels.get(result.id);
  if (label === undefined || result.level !== "hard" || seen.has(result.id)) continue;
  seen.add(result.id);
  for (const key of [
    `${label.configuration} · ${answerKind(label.pseudoLabel)}`,
    `${label.configuration} · all`,
  ]) {
    const tally = tallies.get(key) ?? { items: 0, labelRight: 0, greedyRight: 0 };
    tally.items += 1;
    if (answersEquivalent(label.pseudoLabel, result.answer)) tally.labelRight += 1;
    if (result.greedyCorrect) tally.greedyRight += 1;
    tallies.set(key, tally);
  }
}
const percent = (count: number, total: number) => `${((100 * count) / total).toFixed(1)}%`;
for (const [key, tally] of [...tallies].sort(([left], [right]) => left.localeCompare(right)))
  console.log(
    `${key.padEnd(28)} ${String(tally.items).padStart(5)} items: labels right ${percent(tally.labelRight, tally.items)}, greedy right ${percent(tally.greedyRight, tally.items)}`,
  );
