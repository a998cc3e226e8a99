// Goal: `mmzero` loads only the module of the command it runs, lists every command from light
// metadata, and every registered module declares the command its entry names.
// Method: buildProgram with counting stand-in entries (which loads happen), the real entries'
// modules loaded one by one (names match), and the real binary for --help and --version.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { Command } from "commander";
import { type CommandEntry, commandEntries } from "../../src/cli/commands/index.ts";
import { buildProgram } from "../../src/cli/main.ts";

function countingEntries(names: readonly string[]) {
  const loaded: string[] = [];
  const entries: CommandEntry[] = names.map((name) => ({
    name,
    summary: `the ${name} command`,
    load: async () => {
      loaded.push(name);
      return (program: Command) => {
        program
          .command(name)
          .option("--flag <value>")
          .action(() => {});
      };
    },
  }));
  return { entries, loaded };
}

describe("lazy command loading", () => {
  test("the top level loads no command module; a command loads only its own", async () => {
    const top = countingEntries(["alpha", "beta", "gamma"]);
    await buildProgram(["--help"], top.entries);
    assert.deepEqual(top.loaded, []);
    const one = countingEntries(["alpha", "beta", "gamma"]);
    const program = await buildProgram(["beta", "--flag", "x"], one.entries);
    assert.deepEqual(one.loaded, ["beta"]);
    const beta = program.commands.find((command) => command.name() === "beta");
    assert.ok(beta?.options.some((option) => option.long === "--flag"));
    const help = countingEntries(["alpha", "beta"]);
    await buildProgram(["help", "alpha"], help.entries);
    assert.deepEqual(help.loaded, ["alpha"]);
  });

  test("every entry's module registers exactly the command the entry names", async () => {
    const names = new Set<string>();
    for (const entry of commandEntries) {
      assert.ok(!names.has(entry.name), `${entry.name} listed twice`);
      names.add(entry.name);
      const program = new Command("mmzero");
      (await entry.load())(program);
      assert.deepEqual(
        program.commands.map((command) => command.name()),
        [entry.name],
      );
    }
  });

  test("the binary lists every command and prints the package version", () => {
    const help = spawnSync(process.execPath, ["bin/mmzero.js", "--help"], { encoding: "utf8" });
    assert.equal(help.status, 0, help.stderr);
    for (const entry of commandEntries) assert.match(help.stdout, new RegExp(`^  ${entry.name} `, "m"));
    const version = spawnSync(process.execPath, ["bin/mmzero.js", "--version"], { encoding: "utf8" });
    assert.equal(version.status, 0, version.stderr);
    const packageVersion = JSON.parse(readFileSync("package.json", "utf8")).version;
    assert.equal(version.stdout.trim(), packageVersion);
  });
});
