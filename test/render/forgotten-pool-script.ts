// Run by pool.test.ts as its own process: opens a pool, renders once, prints the worker's process
// id and working directory, and exits without closing the pool.
import { readlinkSync } from "node:fs";
import { createRenderPool } from "../../src/render/index.ts";

const pool = createRenderPool({ workerCount: 1 });
const outcome = await pool.render('<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"></svg>', {
  size: 8,
});
const [worker] = pool.workerProcessIds();
process.stdout.write(
  `${JSON.stringify({ kind: outcome.kind, worker, directory: readlinkSync(`/proc/${worker}/cwd`) })}\n`,
);
