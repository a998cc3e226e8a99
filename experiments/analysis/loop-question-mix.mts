// Analysis for docs/learning.md E10: which hard questions does the loop train its Solver on, against
// the public benchmark's? Step counts and leading words of the Solver datasets' hard items (every
// iteration of the given runs) beside the benchmark's hard items.
//
//   node bin/run-ts.js experiments/analysis/loop-question-mix.mts <run dir>...
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { readFileLogReadOnly } from "../../src/store/index.ts";
import { parseBenchmarkJsonl } from "../../src/world/index.ts";
import { sharesText, stepsKey } from "./question-steps.ts";

const runDirs = process.argv.slice(2);
if (runDirs.length === 0) throw new Error("usage: loop-question-mix.mts <run dir>...");

function tally(questions: readonly string[]): string {
  const steps = sharesText(questions.map(stepsKey));
  const firstWords = sharesText(questions.map((question) => question.trim().split(/\s+/)[0] ?? ""));
  return `${questions.length} items; steps: ${steps}; first word: ${firstWords}`;
}

const loopQuestions: string[] = [];
for (const runDir of runDirs) {
  for await (const { event } of readFileLogReadOnly(join(runDir, "events"))) {
    if (event.type !== "DatasetBuilt" || event.payload.phase !== "solver") continue;
    for (const item of event.payload.items) if (item.level !== "easy") loopQuestions.push(item.question);
  }
}
const benchmark = parseBenchmarkJsonl(await readFile("bench/data/benchmark.jsonl", "utf8"));
console.log(`loop datasets: ${tally(loopQuestions)}`);
console.log(
  `benchmark:     ${tally(benchmark.filter((item) => item.level === "hard").map((item) => item.question))}`,
);
