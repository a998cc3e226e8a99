// Renders per second through the sandboxed pool (1 and 2 workers) against raw in-process resvg
// on the same SVGs, measured in the same run, for typical chart and geometry scenes at 64 and
// 224 px. Raw resvg = construct + render + read pixels with the same fonts and nothing else; the
// in-process pipeline adds validation, letterboxing, hashing and PNG encoding, as the pool does.
// Figures are medians of --reps rounds, the configurations interleaved within each round.
// Wall-clock rates on a shared machine move with its load, so CPU time per render is also
// measured (this process plus the workers, from /proc) and turned into a load-independent
// capacity ratio: what the pool can do on 2 idle cores against raw resvg on 1.
// Usage: node bin/run-ts.js bench/render.ts [--reps 5]
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { Resvg } from "@resvg/resvg-js";
import { createRenderPool, type RenderPool, renderSvgInProcess } from "../src/render/index.ts";
import { bundledFontFiles } from "../src/render/rasterize.mjs";
import { barChartSvg, geometrySvg } from "../test/render/scenes.ts";
import { median } from "./common.ts";

const repsIndex = process.argv.indexOf("--reps");
const reps = repsIndex >= 0 ? Number(process.argv[repsIndex + 1]) : 5;
// Why: ~0.2-0.5 s per measurement on an idle machine keeps the default run under a minute.
const rendersPerRound: Readonly<Record<number, number>> = { 64: 160, 224: 80 };
const clockTicksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());

interface Measurement {
  readonly rate: number;
  /** CPU of this process plus the pool's workers, per render, ms. */
  readonly cpuMs: number;
  /** CPU of this process alone, per render, ms. */
  readonly parentCpuMs: number;
}

/** user + system CPU of a live process, ms (fields 14 and 15 of /proc/<pid>/stat). */
function processCpuMs(processId: number): number {
  const stat = readFileSync(`/proc/${processId}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond) * 1000;
}

function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

async function measure(
  count: number,
  pool: RenderPool | undefined,
  run: () => Promise<unknown> | unknown,
): Promise<Measurement> {
  const workers = pool?.workerProcessIds() ?? [];
  const workerCpuBefore = workers.map(processCpuMs);
  const parentCpuBefore = ownCpuMs();
  const started = performance.now();
  await run();
  const rate = count / ((performance.now() - started) / 1000);
  const parentCpuMs = (ownCpuMs() - parentCpuBefore) / count;
  const workerCpuMs =
    workers.reduce((sum, worker, index) => sum + processCpuMs(worker) - (workerCpuBefore[index] ?? 0), 0) /
    count;
  return { rate, cpuMs: parentCpuMs + workerCpuMs, parentCpuMs };
}

function rawResvg(svg: string, size: number): void {
  const options = {
    fitTo: { mode: "width" as const, value: size },
    background: "#ffffff",
    font: { loadSystemFonts: false, fontFiles: [...bundledFontFiles], defaultFontFamily: "DejaVu Sans" },
  };
  new Resvg(svg, options).render().pixels;
}

async function renderAll(pool: RenderPool, svg: string, size: number, count: number): Promise<void> {
  const outcomes = await Promise.all(Array.from({ length: count }, () => pool.render(svg, { size })));
  // Reading rgba decodes the PNG a pool image carries: counted, as raw resvg's pixels are.
  const pixelBytes = outcomes.map((outcome) => (outcome.kind === "ok" ? outcome.image.rgba.length : 0));
  if (pixelBytes.some((bytes) => bytes !== size * size * 4)) throw new Error("a benchmark render failed");
}

function repeat(count: number, once: () => void): void {
  for (let index = 0; index < count; index++) once();
}

// Why the high recycle limit: a replaced worker would take its CPU time out of the measurement.
const pools = {
  one: createRenderPool({ workerCount: 1, rendersPerWorkerMax: 1_000_000 }),
  two: createRenderPool({ workerCount: 2, rendersPerWorkerMax: 1_000_000 }),
};
const scenes = [
  { name: "bar chart", svg: barChartSvg() },
  { name: "geometry", svg: geometrySvg() },
];
const wallRows: string[][] = [];
const cpuRows: string[][] = [];
try {
  for (const pool of Object.values(pools)) await renderAll(pool, geometrySvg(), 64, 20);
  for (const scene of scenes) {
    for (const size of [64, 224]) {
      const count = rendersPerRound[size] ?? 100;
      const rounds = {
        raw: [] as Measurement[],
        pipeline: [] as Measurement[],
        one: [] as Measurement[],
        two: [] as Measurement[],
      };
      for (let round = 0; round < reps; round++) {
        rounds.raw.push(
          await measure(count, undefined, () => repeat(count, () => rawResvg(scene.svg, size))),
        );
        rounds.pipeline.push(
          await measure(count, undefined, () => repeat(count, () => renderSvgInProcess(scene.svg, { size }))),
        );
        rounds.one.push(await measure(count, pools.one, () => renderAll(pools.one, scene.svg, size, count)));
        rounds.two.push(await measure(count, pools.two, () => renderAll(pools.two, scene.svg, size, count)));
      }
      const rate = (key: keyof typeof rounds) => median(rounds[key].map((each) => each.rate));
      const cpu = (key: keyof typeof rounds) => median(rounds[key].map((each) => each.cpuMs));
      const parentCpu = median(rounds.two.map((each) => each.parentCpuMs));
      const label = `${scene.name} ${size}px`;
      wallRows.push([
        label,
        ...[rate("raw"), rate("pipeline"), rate("one"), rate("two")].map((value) => value.toFixed(0)),
        ...[rate("pipeline"), rate("one"), rate("two")].map((value) => (value / rate("raw")).toFixed(2)),
      ]);
      // On 2 idle cores the pool's processes share both; raw resvg uses one.
      const capacityRatio = 2 / cpu("two") / (1 / cpu("raw"));
      cpuRows.push([
        label,
        ...[cpu("raw"), cpu("pipeline"), cpu("two"), parentCpu].map((value) => value.toFixed(2)),
        capacityRatio.toFixed(2),
      ]);
    }
  }
} finally {
  await Promise.all([pools.one.close(), pools.two.close()]);
}

function table(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const format = (row: readonly string[]) =>
    row.map((cell, column) => cell.padStart(widths[column] ?? 0)).join("  ");
  return `${format(header)}\n${rows.map(format).join("\n")}\n`;
}

const load = loadavg().map((value) => value.toFixed(1));
process.stdout.write(
  `render throughput, medians of ${reps} rounds, ${availableParallelism()} cores, load average ${load.join(" ")}\n`,
);
process.stdout.write(
  table(
    ["scene", "raw/s", "pipeline/s", "pool1/s", "pool2/s", "pipeline:raw", "pool1:raw", "pool2:raw"],
    wallRows,
  ),
);
process.stdout.write(
  "\nCPU per render, ms (pool: this process + workers); capacity = pool on 2 idle cores vs raw on 1\n",
);
process.stdout.write(table(["scene", "raw", "pipeline", "pool2", "pool2 parent", "capacity"], cpuRows));
const wallMet = wallRows.every((row) => Number(row[7]) >= 1);
const capacityMet = cpuRows.every((row) => Number(row[5]) >= 1);
process.stdout.write(
  `target (pool at 2 workers >= raw single-thread resvg): wall clock ${wallMet ? "met" : "NOT met"}, CPU capacity ${capacityMet ? "met" : "NOT met"} on every scene\n`,
);
