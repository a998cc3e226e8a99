import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A temporary directory removed on dispose: `await using dir = await makeTempDir("log")`. */
export interface TempDir extends AsyncDisposable {
  readonly path: string;
}

export async function makeTempDir(label: string): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), `mmzero-${label}-`));
  return { path, [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }) };
}

/**
 * Temporary directories made on demand and removed together, for factories that cannot dispose
 * what they return (a contract suite's `openFreshLog`): call `removeAll` in an `after` hook.
 */
export function tempDirPool(label: string): { make(): Promise<string>; removeAll(): Promise<void> } {
  const made: TempDir[] = [];
  return {
    async make() {
      const directory = await makeTempDir(label);
      made.push(directory);
      return directory.path;
    },
    async removeAll() {
      await Promise.all(made.splice(0).map((directory) => directory[Symbol.asyncDispose]()));
    },
  };
}
