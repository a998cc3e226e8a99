// Goal (issue 15): a full disk under `events/` or `blobs/` stops `mmzero run` with an error naming
// it, loses no event the log acknowledged (the log reopens and verifies), and once space is freed
// `run --resume` completes with the chain head of a fault-free run. A full disk is a recoverable
// fault (src/actors/recoverable.ts): nothing of it is recorded and `mmzero run` exits 75.
// Method: a small tmpfs mounted over the run's events/ or blobs/ (root only: skipped with the reason
// otherwise), a real `mmzero run` of a small config into it, `mount -o remount` to free space, a
// real `run --resume`; a fault-free run of the same config is the reference. Slow: several runs.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { makeTempDir, type TempDir } from "../support/temp-dir.ts";
import { eventCount, runCli } from "./cli.ts";
import { faultRunFlags, logHash } from "./run-fixture.ts";
import { recoverableExitCode } from "./support/cli-runs.ts";

/** Why a probe: root in a container may still lack the right to mount. */
function mountSkipReason(): string | false {
  if (process.getuid?.() !== 0)
    return "needs root to mount a small tmpfs (run the suite as root to include it)";
  const probe = execFileSync("mktemp", ["-d"], { encoding: "utf8" }).trim();
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe], { stdio: "ignore" });
    execFileSync("umount", [probe]);
    return false;
  } catch {
    return "cannot mount a tmpfs here (no CAP_SYS_ADMIN)";
  } finally {
    execFileSync("rmdir", [probe]);
  }
}

const skip = mountSkipReason();
if (skip !== false) process.stdout.write(`# disk-full fault tests skipped: ${skip}\n`);

/** A tmpfs of `size` over `directory`, unmounted by dispose. */
function mountSmall(directory: string, size: string): { grow(size: string): void } & Disposable {
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", directory]);
  return {
    grow: (bigger) => execFileSync("mount", ["-o", `remount,size=${bigger}`, directory]),
    [Symbol.dispose]: () => execFileSync("umount", [directory]),
  };
}

describe("disk full (real processes, tmpfs)", { skip }, () => {
  let workspace: TempDir;
  let flags: string[];
  let referenceHash: Promise<string>;

  before(async () => {
    workspace = await makeTempDir("faults-disk");
    flags = await faultRunFlags(workspace.path);
    const reference = join(workspace.path, "reference");
    referenceHash = runCli([...flags, "--out", reference]).then((result) => {
      assert.equal(result.code, 0, result.stderr);
      return logHash(reference);
    });
  });
  after(async () => {
    // Why settled: the reference run must end before its directory is removed, whatever its outcome.
    await Promise.allSettled([referenceHash]);
    await workspace[Symbol.asyncDispose]();
  });

  test("events/ full: a clear error, no acknowledged event lost, and the resume ends as a fault-free run", async () => {
    const run = join(workspace.path, "events-full");
    await mkdir(join(run, "events"), { recursive: true });
    // Why 16 KiB: a few events of a run whose log is some 50 KiB (tmpfs counts whole 4 KiB pages).
    using disk = mountSmall(join(run, "events"), "16k");
    const failed = await runCli([...flags, "--out", run]);
    assert.equal(failed.code, recoverableExitCode, failed.stdout);
    assert.match(`${failed.stdout}${failed.stderr}`, /ENOSPC|no space left on device/i);
    const kept = await eventCount(run);
    assert.ok(kept > 0, "the events written before the disk filled are in the log");
    disk.grow("64m");
    const resumed = await runCli([...flags, "--resume", run]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(await logHash(run), await referenceHash);
  });

  test("blobs/ full: a clear error, the log intact, and the resume ends as a fault-free run once space is freed", async () => {
    const run = join(workspace.path, "blobs-full");
    await mkdir(join(run, "blobs"), { recursive: true });
    using disk = mountSmall(join(run, "blobs"), "512k");
    const failed = await runCli([...flags, "--out", run]);
    assert.equal(failed.code, recoverableExitCode, failed.stdout);
    assert.match(`${failed.stdout}${failed.stderr}`, /ENOSPC|no space left on device/i);
    const fold = await runCli(["replay", run, "--mode", "fold"]);
    assert.equal(fold.code, 0, `the log is intact after the fault: ${fold.stderr}`);
    disk.grow("64m");
    const resumed = await runCli([...flags, "--resume", run]);
    assert.equal(resumed.code, 0, resumed.stderr);
    const after = await runCli(["replay", run, "--mode", "fold"]);
    assert.equal(after.code, 0, after.stderr);
    assert.match(after.stdout, /\(run finished\)/);
    assert.equal(await logHash(run), await referenceHash);
  });
});
