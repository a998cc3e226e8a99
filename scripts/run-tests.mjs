#!/usr/bin/env node
// Runs every test file under test/ with Node's built-in runner and tsx's loader.
// Node 20's `--test` does not expand globs, so the files are listed here.
// Usage: npm test [-- <substring> ...] runs only the files whose path contains one of the substrings;
// `--quick` leaves out the slow files (`*.slow.test.ts`: faults that last tens of seconds).
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function listTests(directory) {
  const found = [];
  for (const name of readdirSync(directory).sort()) {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) found.push(...listTests(path));
    else if (name.endsWith(".test.ts")) found.push(path);
  }
  return found;
}

const quick = process.argv.includes("--quick");
const filters = process.argv.slice(2).filter((argument) => argument !== "--quick");
const files = listTests("test").filter(
  (file) =>
    (filters.length === 0 || filters.some((filter) => file.includes(filter))) &&
    !(quick && file.endsWith(".slow.test.ts")),
);
if (files.length === 0) {
  process.stderr.write(`no test files match ${JSON.stringify(filters)}\n`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=2", "--test-reporter=spec", ...files],
  { stdio: "inherit" },
);
process.exit(result.status ?? 1);
