import { open } from "node:fs/promises";

/** The `code` of a Node file-system error (ENOENT, EEXIST, ...), if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

/** For `.catch`: a missing file is what we wanted; anything else is rethrown. */
export function ignoreMissing(error: unknown): void {
  if (errorCode(error) !== "ENOENT") throw error;
}

/** Makes a directory's entries (files created, renamed or removed in it) durable. */
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
