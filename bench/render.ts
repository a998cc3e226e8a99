// Renders per second through the sandboxed pool (1 and 2 workers) against raw in-process resvg
// on the same SVGs, measured in the same run, for typical chart and geometry scenes at 64 and
// 224 px. Raw resvg = construct + render + read pixels, nothing else (the bare minimum a caller
// could do, with the same fonts); the in-process pipeline adds validation, letterboxing, hashing
// and PNG encoding, which the pool also does. Each figure is the median of --reps rounds; the
// configurations are interleaved within each round so machine noise hits them alike.
// Usage: node bin/run-ts.js bench/render.ts [--reps 5]
import { availableParallelism, loadavg } from "node:os";
import { Resvg } from "@resvg/resvg-js";
import { createRenderPool, type RenderPool, renderSvgInProcess } from "../src/render/index.ts";
import { bundledFontFiles } from "../src/render/rasterize.mjs";
import { barChartSvg, geometrySvg } from "../test/render/scenes.ts";

const repsIndex = process.argv.indexOf("--reps");
const reps = repsIndex >= 0 ? Number(process.argv[repsIndex + 1]) : 5;
// Why: ~0.3-1 s per measurement on this machine keeps the default run under a minute.
const rendersPerRound: Readonly<Record<number, number>> = { 64: 160, 224: 80 };

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function rawResvg(svg: string, size: number): number {
  const options = {
    fitTo: { mode: "width" as const, value: size },
    background: "#ffffff",
    font: { loadSystemFonts: false, fontFiles: [...bundledFontFiles], defaultFontFamily: "DejaVu Sans" },
  };
  return new Resvg(svg, options).render().pixels.length;
}

function timeSync(count: number, renderOnce: () => void): number {
  const started = performance.now();
  for (let index = 0; index < count; index++) renderOnce();
  return count / ((performance.now() - started) / 1000);
}

async function timePool(pool: RenderPool, svg: string, size: number, count: number): Promise<number> {
  const started = performance.now();
  const outcomes = await Promise.all(Array.from({ length: count }, () => pool.render(svg, { size })));
  const rate = count / ((performance.now() - started) / 1000);
  if (outcomes.some((outcome) => outcome.kind !== "ok")) throw new Error("a benchmark render failed");
  return rate;
}

const pools = { one: createRenderPool({ workerCount: 1 }), two: createRenderPool({ workerCount: 2 }) };
const scenes = [
  { name: "bar chart", svg: barChartSvg() },
  { name: "geometry", svg: geometrySvg() },
];
const rows: string[][] = [];
try {
  // Warm up: workers started, code paths compiled.
  for (const pool of Object.values(pools)) await timePool(pool, geometrySvg(), 64, 20);
  for (const scene of scenes) {
    for (const size of [64, 224]) {
      const count = rendersPerRound[size] ?? 100;
      const rates = {
        raw: [] as number[],
        pipeline: [] as number[],
        one: [] as number[],
        two: [] as number[],
      };
      for (let round = 0; round < reps; round++) {
        rates.raw.push(timeSync(count, () => rawResvg(scene.svg, size)));
        rates.pipeline.push(timeSync(count, () => renderSvgInProcess(scene.svg, { size })));
        rates.one.push(await timePool(pools.one, scene.svg, size, count));
        rates.two.push(await timePool(pools.two, scene.svg, size, count));
      }
      const raw = median(rates.raw);
      const [pipeline, one, two] = [median(rates.pipeline), median(rates.one), median(rates.two)];
      rows.push([
        `${scene.name} ${size}px`,
        raw.toFixed(0),
        pipeline.toFixed(0),
        one.toFixed(0),
        two.toFixed(0),
        (pipeline / raw).toFixed(2),
        (one / raw).toFixed(2),
        (two / raw).toFixed(2),
      ]);
    }
  }
} finally {
  await Promise.all([pools.one.close(), pools.two.close()]);
}

const header = [
  "scene",
  "raw/s",
  "pipeline/s",
  "pool1/s",
  "pool2/s",
  "pipeline:raw",
  "pool1:raw",
  "pool2:raw",
];
const widths = header.map((title, column) =>
  Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
);
const format = (row: readonly string[]) =>
  row.map((cell, column) => cell.padStart(widths[column] ?? 0)).join("  ");
const load = loadavg().map((value) => value.toFixed(1));
process.stdout.write(`render throughput, medians of ${reps} rounds, ${availableParallelism()} cores, load average ${load.join(" ")}\n`);
process.stdout.write(`${format(header)}\n${rows.map(format).join("\n")}\n`);
const target = rows.every((row) => Number(row[7]) >= 1);
process.stdout.write(
  `target (pool at 2 workers >= raw single-thread resvg): ${target ? "met" : "NOT met"} on every scene\n`,
);
