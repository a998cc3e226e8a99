// Analysis for docs/learning.md E10: which hard questions does the loop train its Solver on, against
// the public benchmark's? Step counts and leading words of the Solver datasets' hard items (every
// iteration of the given runs) beside the benchmark's hard items.
//
//   node bin/run-ts.js experiments/analysis/loop-question-mix.mts <run dir>...
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { readFileLogReadOnly } from "../../src/store/index.ts";
import { parseBenchmarkJsonl, parseQuestion, questionSteps } from "../../src/world/index.ts";

const runDirs = process.argv.slice(2);
if (runDirs.length === 0) throw new Error("usage: loop-question-mix.mts <run dir>...");

function tally(questions: readonly string[]) {
  const steps = new Map<string, number>();
  const lead = new Map<string, number>();
  for (const question of questions) {
    const parsed = parseQuestion(question);
    const key = parsed.ok ? String(questionSteps(parsed.value)) : "unparsed";
    steps.set(key, (steps.get(key) ?? 0) + 1);
    const word = question.trim().split(/\s+/)[0] ?? "";
    lead.set(word, (lead.get(word) ?? 0) + 1);
  }
  const share = (map: Map<string, number>) =>
    [...map]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, count]) => `${key} ${((100 * count) / questions.length).toFixed(0)}%`)
      .join(", ");
  return `${questions.length} items; steps: ${share(steps)}; first word: ${share(lead)}`;
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
