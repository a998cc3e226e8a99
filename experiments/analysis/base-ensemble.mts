// Analysis for docs/learning.md E34 (ANALYSIS ONLY: the benchmark's answers score): do separately
// pretrained bases err on the same hard items? The majority of their greedy answers (the loop's
// `majorityVote`) against each base's greedy answer. If their errors were partly independent, as an
// ensemble's or sampling with dropout on would need, the majority would beat the mean base clearly.
// Inputs are `mmzero eval --samples 0 --json` reports of the bases on one benchmark file.
//
//   node bin/run-ts.js experiments/analysis/base-ensemble.mts <eval report.json>...
import { readFile } from "node:fs/promises";
import type { EvaluationReport } from "../../src/pretrain/index.ts";
import { type MeanInterval, meanInterval } from "../../src/report/index.ts";
import { answersEquivalent, majorityVote } from "../../src/rewards/index.ts";

const paths = process.argv.slice(2);
if (paths.length < 2) throw new Error("usage: base-ensemble.mts <eval report.json> <eval report.json>...");
const reports = await Promise.all(
  paths.map(async (path) => JSON.parse(await readFile(path, "utf8")) as EvaluationReport),
);
const [first] = reports;
for (const report of reports)
  if (report.benchmark.sha256 !== first!.benchmark.sha256 || report.results.length !== first!.results.length)
    throw new Error("every report must be on the same benchmark file");
const hard = first!.results.flatMap((result, index) => (result.level === "hard" ? [index] : []));
const ensembleRight = hard.map((index) =>
  answersEquivalent(
    majorityVote(reports.map((report) => report.results[index]!.greedyAnswer)).label,
    first!.results[index]!.answer,
  ),
);
const points = (interval: MeanInterval) =>
  `${(100 * interval.mean).toFixed(1)} [${(100 * (interval.low ?? 0)).toFixed(1)}, ${(100 * (interval.high ?? 0)).toFixed(1)}]`;
const singles = reports.map(
  (report) => hard.filter((index) => report.results[index]!.greedyCorrect).length / hard.length,
);
const best = reports[singles.indexOf(Math.max(...singles))]!;
const meanSingle = hard.map(
  (index) =>
    reports.reduce((sum, report) => sum + Number(report.results[index]!.greedyCorrect), 0) / reports.length,
);
console.log(
  `hard items: ${hard.length}; bases' greedy: ${singles.map((share) => `${(100 * share).toFixed(1)}%`).join(", ")}`,
);
console.log(
  `majority of their greedy answers: ${((100 * ensembleRight.filter(Boolean).length) / hard.length).toFixed(1)}%`,
);
console.log(
  `  minus the mean base: ${points(meanInterval(ensembleRight.map((right, j) => Number(right) - meanSingle[j]!)))}`,
);
console.log(
  `  minus the best base: ${points(meanInterval(ensembleRight.map((right, j) => Number(right) - Number(best.results[hard[j]!]!.greedyCorrect))))}`,
);
