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

/** Inline code must not contain "</script" or "</style", which would end its element early. */
function inlineSafe(name: string, code: string): string {
  assert(!/<\/(script|style)/i.test(code), `${name} contains "</script" or "</style" and cannot be inlined`);
  return code;
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
    chartLibraryStyles: inlineSafe("uPlot's CSS", chartLibraryStyles),
    pageScript: inlineSafe("the page script", pageScript),
    pageStyles: inlineSafe("the page CSS", pageStyles),
  };
}

export function loadReportAssets(): Promise<ReportAssets> {
  // A failed read is not cached, so a later call can succeed.
  loaded ??= readAssets().catch((error: unknown) => {
    loaded = undefined;
    throw error;
  });
  return loaded;
}
