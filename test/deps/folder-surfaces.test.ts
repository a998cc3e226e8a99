// Goal: every top-level folder of src/ has a public surface (index.ts) and the others use it: an
// import from another folder names that folder's index.ts (or a sub-folder's, such as the optional
// NATS adapters in store/jetstream/index.ts), never one of its internal files.
// Method: scan every source file's import and re-export specifiers.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative, sep } from "node:path";
import { test } from "node:test";

const sourceRoot = join(import.meta.dirname, "..", "..", "src");

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts)$/.test(name) && !name.endsWith(".d.mts") ? [path] : [];
  });
}

const specifiers = /^(?:import|export)\b[^"';]*?from\s+"(\.[^"]+)"|^import\s+"(\.[^"]+)"/gm;

/** A file's relative import specifiers that reach into another top-level folder's internals. */
export function deepReaches(file: string, text: string): string[] {
  const folder = relative(sourceRoot, file).split(sep)[0];
  return [...text.matchAll(specifiers)].flatMap((match) => {
    const specifier = match[1] ?? match[2]!;
    const parts = relative(sourceRoot, normalize(join(dirname(file), specifier))).split(sep);
    if (parts[0] === folder || parts[0] === ".." || parts.length < 2) return [];
    return parts.at(-1) === "index.ts" ? [] : [specifier];
  });
}

test("the scan tells a folder's surface from its internals", () => {
  const file = join(sourceRoot, "app", "x.ts");
  const text = [
    'import { a } from "../report/index.ts";',
    'import type { B } from "../report/statistics.ts";',
    'import { c } from "./y.ts";',
    'import {\n  d,\n} from "../store/jetstream/index.ts";',
    'export { e } from "../rewards/merge.ts";',
  ].join("\n");
  assert.deepEqual(deepReaches(file, text), ["../report/statistics.ts", "../rewards/merge.ts"]);
});

test("every top-level folder has an index.ts, and other folders import only through index files", () => {
  const folders = readdirSync(sourceRoot).filter((name) => statSync(join(sourceRoot, name)).isDirectory());
  assert.deepEqual(
    folders.filter((folder) => !existsSync(join(sourceRoot, folder, "index.ts"))),
    [],
    "folders without a public surface",
  );
  const reaches = sourceFiles(sourceRoot).flatMap((file) =>
    deepReaches(file, readFileSync(file, "utf8")).map(
      (specifier) => `${relative(sourceRoot, file)} -> ${specifier}`,
    ),
  );
  assert.deepEqual(reaches, [], "import these through the folder's index.ts");
});
