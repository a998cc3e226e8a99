import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

/**
 * The code and styles inlined into every report: uPlot (MIT, a small canvas charting library) and
 * the page's own script and CSS. Read once per process; the page never loads anything from a CDN.
 */

export interface ReportAssets {
  readonly chartLibraryScript: string;
  readonly chartLibraryStyles: string;
  readonly pageScript: string;
  readonly pageStyles: string;
}

const require = createRequire(import.meta.url);
let loaded: Promise<ReportAssets> | undefined;

/** Inline scripts must not contain "</script", which would end the element early. */
function inlineSafe(name: string, script: string): string {
  assert(!/<\/script/i.test(script), `${name} contains "</script" and cannot be inlined`);
  return script;
}

async function readAssets(): Promise<ReportAssets> {
  const [chartLibraryScript, chartLibraryStyles, pageScript, pageStyles] = await Promise.all([
    readFile(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8"),
    readFile(require.resolve("uplot/dist/uPlot.min.css"), "utf8"),
    readFile(new URL("./assets/page.js", import.meta.url), "utf8"),
    readFile(new URL("./assets/page.css", import.meta.url), "utf8"),
  ]);
  return {
    chartLibraryScript: inlineSafe("uPlot", chartLibraryScript),
    chartLibraryStyles,
    pageScript: inlineSafe("the page script", pageScript),
    pageStyles,
  };
}

export function loadReportAssets(): Promise<ReportAssets> {
  loaded ??= readAssets();
  return loaded;
}
