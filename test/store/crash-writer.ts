/**
 * The child process of crash.test.ts (not a test itself): opens the file log in argv[2] with the fsync
 * mode in argv[4] (`always`, the default, or `batched`), then appends the crash script's events from
 * where the log ends, in seeded batches, printing "ready <head>" once and "ack <seq>" after each
 * acknowledged append, until killed.
 */

import { keyedRandom } from "../../src/rng/index.ts";
import { openFileLog } from "../../src/store/index.ts";
import { crashBatchMax, crashDraft, crashRunId } from "./crash-script.ts";

const [directory, round, mode = "always"] = process.argv.slice(2);
if (directory === undefined || round === undefined || (mode !== "always" && mode !== "batched"))
  throw new Error("usage: crash-writer.ts <directory> <round> [always|batched]");

const log = await openFileLog(directory, { runId: crashRunId, fsync: { mode } });
let head = (await log.head()).seq;
process.stdout.write(`ready ${head}\n`);
const random = keyedRandom("crash-writer", round);
// Why a bound: the parent kills this process long before; the bound only stops a runaway writer.
const appendsMax = 100_000;
for (let append = 0; append < appendsMax; append++) {
  const size = 1 + random.nextInt(crashBatchMax);
  const drafts = Array.from({ length: size }, (_, position) => crashDraft(head + position));
  const recorded = await log.append(drafts);
  head = recorded.at(-1)?.event.seq ?? head;
  process.stdout.write(`ack ${head}\n`);
}
await log.close();
