import { link, readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { LogLockedError } from "./errors.ts";
import { errorCode, ignoreMissing } from "./file-system.ts";

/** The lock file that makes one process the single writer of a log directory. */
export const writeLockFileName = "writer.lock";
/** Why a bound: each retry follows a stale lock removed by us or a racing opener; more means a fight. */
const lockAttemptsMax = 3;

export interface WriteLock {
  /** The pid of a dead writer whose stale lock was removed, or null. */
  readonly staleOwnerPid: number | null;
  release(): Promise<void>;
}

/**
 * Takes the directory's write lock: `writer.lock` holding this process's pid. The file is written
 * under a temporary name and hard-linked into place, so the lock appears atomically and always with
 * its pid (link fails if the lock exists). A lock whose pid is no longer running is stale (its
 * writer crashed) and is removed. Limits: a pid reused by an unrelated process keeps the lock held,
 * the lock only excludes processes that share this file system's view of pids (one machine), and two
 * openers removing the same stale lock at the same instant may both succeed: stale-lock removal is
 * for restarting after a crash, not for racing openers.
 */
export async function acquireWriteLock(directory: string): Promise<WriteLock> {
  const lockPath = join(directory, writeLockFileName);
  let staleOwnerPid: number | null = null;
  for (let attempt = 0; attempt < lockAttemptsMax; attempt++) {
    if (await tryCreateLock(lockPath)) return { staleOwnerPid, release: () => releaseLock(lockPath) };
    const owner = await readLockOwner(lockPath);
    if (owner === "gone") continue;
    if (owner === null || isProcessAlive(owner)) throw new LogLockedError(directory, owner);
    await unlink(lockPath).catch(ignoreMissing);
    staleOwnerPid = owner;
  }
  throw new LogLockedError(directory, null);
}

/** Makes temporary lock names unique within this process. */
let temporaryLockCount = 0;

async function tryCreateLock(lockPath: string): Promise<boolean> {
  temporaryLockCount += 1;
  const temporaryPath = `${lockPath}.${process.pid}-${temporaryLockCount}.tmp`;
  await writeFile(temporaryPath, `${process.pid}\n`);
  try {
    await link(temporaryPath, lockPath);
    return true;
  } catch (error) {
    if (errorCode(error) === "EEXIST") return false;
    throw error;
  } finally {
    await unlink(temporaryPath).catch(ignoreMissing);
  }
}

/** The pid in the lock file; null if unreadable as a pid; "gone" if the file vanished meanwhile. */
async function readLockOwner(lockPath: string): Promise<number | null | "gone"> {
  let text: string;
  try {
    text = await readFile(lockPath, "utf8");
  } catch (error) {
    if (errorCode(error) === "ENOENT") return "gone";
    throw error;
  }
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return errorCode(error) !== "ESRCH";
  }
}

async function releaseLock(lockPath: string): Promise<void> {
  // Why check: never delete a lock another process took after ours was (wrongly) judged stale.
  if ((await readLockOwner(lockPath)) === process.pid) await unlink(lockPath).catch(ignoreMissing);
}
