// Start-up time of the `mmzero` binary: `--version`, `--help` and one command's `--help` (which
// loads that command's module only), against `node -e 0` measured in the same rounds as the floor
// any Node CLI pays. Medians of --reps rounds, the commands interleaved within each round, so load
// on a shared machine moves all of them alike; the ratio to the floor is the comparable figure.
// Usage: node bin/run-ts.js bench/startup.ts [--reps 7] [--other-cli /path/to/bin/mmzero.js]
// (--other-cli also times another checkout's binary, e.g. the one before a change.)
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const reps = Number(flag("--reps") ?? 7);
const otherCli = flag("--other-cli");

interface Case {
  readonly label: string;
  readonly argv: readonly string[];
}

const cases: Case[] = [
  { label: "node -e 0 (floor)", argv: ["-e", "0"] },
  { label: "mmzero --version", argv: ["bin/mmzero.js", "--version"] },
  { label: "mmzero --help", argv: ["bin/mmzero.js", "--help"] },
  { label: "mmzero log --help", argv: ["bin/mmzero.js", "log", "--help"] },
];
if (otherCli !== undefined) {
  cases.push({ label: "other --version", argv: [otherCli, "--version"] });
  cases.push({ label: "other --help", argv: [otherCli, "--help"] });
}

function timeOnce(argv: readonly string[]): number {
  const started = performance.now(); // wall-clock-ok: the benchmark's measurement
  const result = spawnSync(process.execPath, argv, { encoding: "utf8" });
  const elapsed = performance.now() - started; // wall-clock-ok: the benchmark's measurement
  if (result.status !== 0) throw new Error(`${argv.join(" ")} exited ${result.status}: ${result.stderr}`);
  return elapsed;
}

/** The middle value (the upper middle for an even count: --reps is odd by default). */
function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
}

// One warm-up round fills tsx's transform cache, as any second invocation finds it.
for (const entry of cases) timeOnce(entry.argv);
const samples = cases.map(() => [] as number[]);
for (let round = 0; round < reps; round += 1) {
  cases.forEach((entry, index) => {
    samples[index]?.push(timeOnce(entry.argv));
  });
}
const floor = median(samples[0] ?? []);
process.stdout.write(`start-up, median of ${reps} rounds (load ${loadavg()[0]?.toFixed(1)})\n`);
cases.forEach((entry, index) => {
  const value = median(samples[index] ?? []);
  process.stdout.write(
    `  ${entry.label.padEnd(22)} ${value.toFixed(0).padStart(6)} ms  ${(value / floor).toFixed(1).padStart(5)}x floor\n`,
  );
});
