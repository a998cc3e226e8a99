// Writes a benchmark file from its profile (src/world/benchmark.ts) and prints a summary.
// Usage: node bin/run-ts.js scripts/make-benchmark.ts [public|shifted] [output-path]
// The output is a pure function of the code and the profile; test/world/benchmark.test.ts fails when a
// committed file and this script's output differ.
import { writeFileSync } from "node:fs";
import {
  type BenchmarkProfileName,
  benchmarkJsonl,
  benchmarkProfiles,
  generateBenchmark,
} from "../src/world/index.ts";

const name = process.argv[2] ?? "public";
if (!Object.hasOwn(benchmarkProfiles, name)) {
  process.stderr.write(
    `unknown benchmark profile ${JSON.stringify(name)} (one of: ${Object.keys(benchmarkProfiles).join(", ")})\n`,
  );
  process.exit(2);
}
const { profile, path } = benchmarkProfiles[name as BenchmarkProfileName];
const outputPath = process.argv[3] ?? path;
const items = generateBenchmark(profile);
writeFileSync(outputPath, benchmarkJsonl(items));

const tally = new Map<string, number>();
for (const item of items) {
  for (const key of [`${item.content_type} ${item.level}`, `steps ${item.steps}`])
    tally.set(key, (tally.get(key) ?? 0) + 1);
}
process.stdout.write(
  `wrote ${items.length} ${name} items to ${outputPath} (seed ${JSON.stringify(profile.seed)})\n`,
);
for (const [key, count] of [...tally].sort()) process.stdout.write(`  ${key}: ${count}\n`);
