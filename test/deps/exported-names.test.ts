// Goal: one name per concept in src/: no exported name is defined in two files (two definitions
// under one name drift apart: `wilsonInterval` once meant low/high in one folder and lower/upper in
// another). Re-exports (`export { x } from`, how an index.ts publishes its folder) are not
// definitions and are not counted. Method: scan every source file's exported declarations.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";

const sourceRoot = join(import.meta.dirname, "..", "..", "src");

/** Source files; a `.d.mts` declares its `.mjs` twin, the same definition. */
function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|mjs)$/.test(name) && !name.endsWith(".d.mts") ? [path] : [];
  });
}

// A declaration exported where it is written; a type and a value of one name in one file (a schema
// and its type) are one definition.
const exportedDeclaration =
  /^export\s+(?:declare\s+)?(?:default\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\*?|class|const|let|var|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm;
// `export { a, b };` without `from` exports local declarations (or passes imported ones on).
const localExportList = /^export\s+(?:type\s+)?\{([^}]*)\}\s*;?\s*$/gm;
const importList = /^import\s+(?:type\s+)?\{([^}]*)\}\s+from/gm;

/** `a`, `type b`, `c as d` -> [local, exported] pairs. */
function listEntries(list: string): [string, string][] {
  return list.split(",").flatMap((entry) => {
    const [local = "", exported = local] = entry
      .trim()
      .replace(/^type\s+/, "")
      .split(/\s+as\s+/);
    return local === "" ? [] : [[local.trim(), exported.trim()] as [string, string]];
  });
}

/** Exported names a file defines (names it imports and passes on are the other file's). */
export function exportedDefinitions(text: string): string[] {
  const names = [...text.matchAll(exportedDeclaration)].map((match) => match[1]!);
  const imported = new Set(
    [...text.matchAll(importList)].flatMap((match) => listEntries(match[1]!).map(([, local]) => local)),
  );
  for (const match of text.matchAll(localExportList))
    for (const [local, exported] of listEntries(match[1]!)) if (!imported.has(local)) names.push(exported);
  return names;
}

test("the scan finds declarations and local export lists, and skips re-exports", () => {
  const text = [
    "export const a = 1;",
    "export type B = string;",
    "export async function c() {}",
    "export interface D {}",
    "const e = 2;",
    "export { e as f };",
    'export { g } from "./g.ts";',
    'import { h } from "./h.ts";',
    "export { h };",
    "  export const nested = 3;",
  ].join("\n");
  assert.deepEqual(exportedDefinitions(text).sort(), ["B", "a", "c", "f", "D"].sort());
});

test("no exported name is defined in two source files", () => {
  const definedIn = new Map<string, Set<string>>();
  for (const file of sourceFiles(sourceRoot))
    for (const name of exportedDefinitions(readFileSync(file, "utf8"))) {
      const files = definedIn.get(name) ?? new Set<string>();
      files.add(relative(sourceRoot, file));
      definedIn.set(name, files);
    }
  const twice = [...definedIn]
    .filter(([, files]) => files.size > 1)
    .map(([name, files]) => `${name}: ${[...files].sort().join(", ")}`);
  assert.ok(definedIn.size > 500, `only ${definedIn.size} exported names found: the scan is broken`);
  assert.deepEqual(twice, [], "rename one (a different concept) or import the other (the same concept)");
});
