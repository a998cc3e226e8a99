// Goal (issue 15, defect 3): `mmzero run` killed with SIGKILL mid-run loses no event it wrote, and
// `run --resume` reports the repair it makes on open (the dead writer's lock; a torn tail if the
// kill cut a write) on stderr and in run.log, then ends with the chain head of a fault-free run.
// Method: two real `mmzero run` processes of the same small config, one left alone (the reference),
// one killed once its log holds some events; the killed one's events are read before the resume
// and must be the resumed log's first events, hash for hash. Slow: three runs.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { readFileLogReadOnly } from "../../src/store/index.ts";
import { makeTempDir, type TempDir } from "../support/temp-dir.ts";
import { eventCount, runCli, startCli } from "./cli.ts";
import { faultRunFlags, logHash } from "./run-fixture.ts";

/** Why 20: past RunStarted and the base evaluation, well before a smoke run's end. */
const eventsBeforeKill = 20;

let workspace: TempDir;
before(async () => {
  workspace = await makeTempDir("faults-kill");
});
after(async () => {
  await workspace[Symbol.asyncDispose]();
});

async function contentHashes(runDirectory: string): Promise<string[]> {
  const hashes: string[] = [];
  for await (const recorded of readFileLogReadOnly(join(runDirectory, "events")))
    hashes.push(recorded.contentHash);
  return hashes;
}

test("SIGKILL mid-run: the resume reports its repair, keeps every written event and ends as a fault-free run", async () => {
  const flags = await faultRunFlags(workspace.path);
  const reference = join(workspace.path, "reference");
  const killed = join(workspace.path, "killed");
  const referenceRun = runCli([...flags, "--out", reference]);
  const victim = startCli([...flags, "--out", killed]);
  let exited = false;
  void victim.done.then(() => (exited = true));
  while (!exited && (await eventCount(killed)) < eventsBeforeKill) await sleep(20);
  assert.equal(exited, false, "the run ended before it could be killed");
  victim.child.kill("SIGKILL");
  const ended = await victim.done;
  assert.equal(ended.signal, "SIGKILL");
  const written = await contentHashes(killed);
  assert.ok(written.length >= eventsBeforeKill);
  const resumed = await runCli([...flags, "--resume", killed]);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, new RegExp(`removed the write lock of process ${victim.child.pid}`));
  const runLog = await readFile(join(killed, "run.log"), "utf8");
  assert.match(runLog, /"kind":"repair".*removed the write lock/);
  assert.equal((await referenceRun).code, 0);
  assert.deepEqual((await contentHashes(killed)).slice(0, written.length), written);
  assert.equal(await logHash(killed), await logHash(reference));
});
