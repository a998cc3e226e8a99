// Writes the public benchmark bench/data/benchmark.jsonl from its fixed seed and prints a summary.
// Usage: node bin/run-ts.js scripts/make-benchmark.ts [output-path]
// The output is a pure function of the code and `benchmarkSeed`; test/world/benchmark.test.ts fails
// when the committed file and this script's output differ.
import { writeFileSync } from "node:fs";
import { benchmarkJsonl, benchmarkSeed, generateBenchmark } from "../src/world/index.ts";

const outputPath = process.argv[2] ?? "bench/data/benchmark.jsonl";
const items = generateBenchmark(benchmarkSeed);
writeFileSync(outputPath, benchmarkJsonl(items));

const tally = new Map<string, number>();
for (const item of items) {
  for (const key of [`${item.content_type} ${item.level}`, `steps ${item.steps}`])
    tally.set(key, (tally.get(key) ?? 0) + 1);
}
process.stdout.write(
  `wrote ${items.length} items to ${outputPath} (seed ${JSON.stringify(benchmarkSeed)})\n`,
);
for (const [key, count] of [...tally].sort()) process.stdout.write(`  ${key}: ${count}\n`);
