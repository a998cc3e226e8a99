import { mkdir, open, rename, unlink } from "node:fs/promises";
import { join } from "node:path";

/**
 * Writes `directory/name` durably: a temporary file, fsync, rename, fsync of the directory, so a
 * crash leaves either the old state or the whole new file, never a torn one; a failed write leaves no
 * temporary file behind.
 */
export async function writeFileDurably(directory: string, name: string, text: string): Promise<void> {
  await mkdir(directory, { recursive: true });
  const target = join(directory, name);
  const temporary = `${target}.${process.pid}.tmp`;
  const file = await open(temporary, "w");
  try {
    try {
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, target);
  } catch (error) {
    // Why ignore a failed unlink: the write's error is the one to report.
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  const handle = await open(directory, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
