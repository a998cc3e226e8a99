// Goal: the install is clean on the Node the README promises, and every dependency is used.
// Method: read package.json and package-lock.json; (1) every locked package's `engines.node`
// accepts the floor of our own `engines.node` (a small range check covering the forms npm
// packages use: >=, >, <=, <, ^, ~, x-ranges, ||); (2) every dependency is named by an import or
// a path in src/, test/, bench/, scripts/ or bin/ (tools run as binaries are named by a script).
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";

type Version = readonly [number, number, number];

function parseVersion(text: string): { version: Version; wild: number } {
  const parts = text.replace(/^v/, "").split(".");
  const numbers: number[] = [];
  for (const part of parts.slice(0, 3)) {
    if (part === "x" || part === "X" || part === "*" || part === "") break;
    numbers.push(Number(part));
  }
  assert.ok(numbers.every(Number.isInteger), `unreadable version "${text}"`);
  return { version: [numbers[0] ?? 0, numbers[1] ?? 0, numbers[2] ?? 0], wild: 3 - numbers.length };
}

function compare(a: Version, b: Version): number {
  for (let index = 0; index < 3; index += 1) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

/** The exclusive upper bound of `^`, `~` or an x-range: bump the last given part before the wildcard. */
function bumped(version: Version, position: number): Version {
  const next = [...version] as [number, number, number];
  next[position] = (next[position] ?? 0) + 1;
  for (let index = position + 1; index < 3; index += 1) next[index] = 0;
  return next;
}

function satisfiesComparator(version: Version, comparator: string): boolean {
  const match = /^(>=|<=|>|<|\^|~|=)?\s*(.+)$/.exec(comparator);
  assert.ok(match, `unreadable comparator "${comparator}"`);
  const operator = match[1] ?? "=";
  const { version: bound, wild } = parseVersion(match[2] ?? "");
  const order = compare(version, bound);
  switch (operator) {
    case ">=":
      return order >= 0;
    case ">":
      return order > 0;
    case "<=":
      return order <= 0;
    case "<":
      return order < 0;
    case "^": {
      const position = bound[0] !== 0 || wild >= 2 ? 0 : bound[1] !== 0 || wild >= 1 ? 1 : 2;
      return order >= 0 && compare(version, bumped(bound, position)) < 0;
    }
    case "~":
      return order >= 0 && compare(version, bumped(bound, wild >= 2 ? 0 : 1)) < 0;
    default:
      return wild === 3 || (order >= 0 && compare(version, bumped(bound, 2 - wild)) < 0);
  }
}

export function satisfies(version: Version, range: string): boolean {
  return range.split("||").some((alternative) =>
    alternative
      .trim()
      .replace(/(>=|<=|>|<|\^|~|=)\s+/g, "$1")
      .split(/\s+/)
      .every((comparator) => satisfiesComparator(version, comparator)),
  );
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return name === "fixtures" ? [] : sourceFiles(path);
    return /\.(ts|mjs|js|cjs)$/.test(name) ? [path] : [];
  });
}

const manifest = JSON.parse(readFileSync("package.json", "utf8"));
const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));

describe("dependencies", () => {
  test("the range check reads the forms packages use", () => {
    assert.ok(satisfies([20, 0, 0], ">=20"));
    assert.ok(!satisfies([20, 0, 0], ">=22.12.0"));
    assert.ok(!satisfies([20, 0, 0], ">= 22.x"));
    assert.ok(satisfies([20, 0, 0], "^16 || ^18 || >=20"));
    assert.ok(!satisfies([20, 0, 0], "^16 || ^18"));
    assert.ok(satisfies([20, 0, 0], "10.* || >= 12.*"));
    assert.ok(satisfies([20, 0, 0], "20.x"));
    assert.ok(!satisfies([20, 0, 0], "~18.1.0 || 21.*"));
  });

  test("every locked package runs on the floor of our engines.node", () => {
    const floor = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(manifest.engines.node);
    assert.ok(floor, `package.json engines.node "${manifest.engines.node}" should read ">=N"`);
    const minimum = parseVersion(floor[1] ?? "").version;
    const refusing = Object.entries(lock.packages as Record<string, { engines?: { node?: string } }>)
      .filter(([path, entry]) => path !== "" && entry.engines?.node !== undefined)
      .filter(([, entry]) => !satisfies(minimum, entry.engines?.node ?? ""))
      .map(([path, entry]) => `${path} (${entry.engines?.node})`);
    assert.deepEqual(refusing, []);
  });

  test("every dependency is used", () => {
    const text = ["src", "test", "bench", "scripts", "bin"]
      .flatMap(sourceFiles)
      .map((file) => readFileSync(file, "utf8"))
      .join("\n");
    const scripts = Object.values(manifest.scripts as Record<string, string>).join("\n");
    const binaries: Record<string, string> = { typescript: "tsc", "@biomejs/biome": "biome" };
    const names = [...Object.keys(manifest.dependencies), ...Object.keys(manifest.devDependencies)];
    const unused = names.filter((name) => {
      if (name in binaries) return !scripts.includes(binaries[name] ?? name);
      // @types/node types Node's own API (tsconfig "types": ["node"]); the others type a dependency.
      if (name === "@types/node") return false;
      if (name.startsWith("@types/")) return !names.includes(name.slice("@types/".length));
      return !text.includes(`"${name}"`) && !text.includes(`"${name}/`) && !text.includes(`${name}/`);
    });
    assert.deepEqual(unused, []);
  });
});
