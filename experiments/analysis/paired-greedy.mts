// Analysis for docs/learning.md E35 (ANALYSIS ONLY: the benchmark's answers score): how a change to a
// base moves its greedy answers, paired on items. Inputs are two `mmzero eval --samples 0 --json`
// reports on the same benchmark file; prints the second minus the first, overall and by level.
//
//   node bin/run-ts.js experiments/analysis/paired-greedy.mts <before.json> <after.json>
import { readFile } from "node:fs/promises";
import type { EvaluationReport } from "../../src/pretrain/index.ts";
import { meanInterval } from "../../src/report/index.ts";

const [beforePath, afterPath] = process.argv.slice(2);
if (beforePath === undefined || afterPath === undefined)
  throw new Error("usage: paired-greedy.mts <before.json> <after.json>");
const [before, after] = await Promise.all(
  [beforePath, afterPath].map(async (path) => JSON.parse(await readFile(path, "utf8")) as EvaluationReport),
);
if (before!.benchmark.sha256 !== after!.benchmark.sha256 || before!.results.length !== after!.results.length)
  throw new Error("both reports must be on the same benchmark file");
for (const level of ["all", "easy", "hard"] as const) {
  const differences = before!.results.flatMap((result, index) =>
    level === "all" || result.level === level
      ? [Number(after!.results[index]!.greedyCorrect) - Number(result.greedyCorrect)]
      : [],
  );
  const interval = meanInterval(differences);
  const points = (value: number | null) => (100 * (value ?? Number.NaN)).toFixed(1);
  console.log(
    `${level.padEnd(5)} ${String(differences.length).padStart(4)} items: after minus before ${points(interval.mean)} [${points(interval.low)}, ${points(interval.high)}] points`,
  );
}
