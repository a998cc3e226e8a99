// Re-records the replay fixture on purpose: a `smoke` run on the committed `test` base, written to
// test/fixtures/runs/<name>/ with a fixed clock (so `at` is stable too). Do this only when a change
// is meant to alter what runs record (a new event version, a reward fix): the replay test then
// checks the new behaviour, and the old fixture should be kept next to it when old logs must still
// replay (smoke-v1, recorded with RewardScored v1, is kept so; the default name is the current one).
// Usage: node bin/run-ts.js scripts/record-fixture.ts [name]
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { runSession } from "../src/app/index.ts";
import { resolveRunConfig } from "../src/config/index.ts";

const name = process.argv[2] ?? "smoke-v2";
const outDir = join(import.meta.dirname, "../test/fixtures/runs", name);
await rm(outDir, { recursive: true, force: true });
const config = resolveRunConfig("smoke", {
  model: { preset: "test" },
  benchmark: { sliceSize: 6 },
  render: { workers: 1 },
});
const result = await runSession({
  config,
  outDir,
  resume: false,
  progress: { unit: (description) => process.stderr.write(`${description}\n`), metrics() {} },
  clock: { nowIso: () => "2026-01-01T00:00:00.000Z" },
});
await rm(join(outDir, "run.log"), { force: true });
process.stdout.write(
  `recorded ${name}: ${result.status}, ${result.eventCount} events, chain head ${result.chainHead}\n`,
);
