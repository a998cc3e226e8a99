// A child process of `mmzero experiment --parallel n`: evaluates one job (a JSON file written by
// evaluations.ts), prints "rows <n>" progress lines on stdout, and writes the cache entry.
// Usage: node bin/run-ts.js src/experiment/evaluation-worker.ts <job.json> <cache entry path>
import { readFile } from "node:fs/promises";
import { selectBackend } from "../gpu/index.ts";
import { writeCachedResults } from "./evaluation-cache.ts";
import { type EvaluationJob, evaluateJob } from "./evaluations.ts";

const [jobPath, cachePath] = process.argv.slice(2);
if (jobPath === undefined || cachePath === undefined) {
  process.stderr.write("usage: evaluation-worker.ts <job.json> <cache entry path>\n");
  process.exit(2);
}
const job = JSON.parse(await readFile(jobPath, "utf8")) as EvaluationJob;
await selectBackend();
const results = await evaluateJob(job, (rows) => process.stdout.write(`rows ${rows}\n`));
await writeCachedResults(cachePath, { checkpoint: job.checkpoint, settings: job.settings, results });
