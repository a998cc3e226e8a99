// Goal: the report works in a real browser: no console errors or network requests, every chart draws
// its series, every gallery image decodes, filters work, and model output carrying <script> stays
// inert text. Checked on a rich run (scripted policies through the real loop) and on a smoke run of a
// keyed-random base (mostly invalid proposals and failed renders: empty charts must not break it).
// Method: headless Debian Chromium driven by playwright-core opens each page from a file; pixels
// are read back from every chart canvas. Screenshots go to test-output/ for people to look at.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type Browser, chromium, type Page } from "playwright-core";
import { runSession } from "../../src/app/index.ts";
import { resolveRunConfig } from "../../src/config/index.ts";
import { renderReport } from "../../src/report/index.ts";
import { smokeOverrides, writeTestBase } from "../support/loop-fixture.ts";
import { makeTempDir, type TempDir } from "../support/temp-dir.ts";
import { writeScriptedRun } from "./scripted-run.ts";

const chromiumPath = process.env.MMZERO_CHROMIUM ?? "/usr/bin/chromium";
const chromiumArguments = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const screenshotDirectory = "test-output";
const viewport = { width: 1400, height: 900 };

/** Never skipped: a missing browser fails with what to do about it. */
function assertChromiumInstalled(): void {
  if (existsSync(chromiumPath)) return;
  if (process.env.CI === "true")
    assert.fail(`chromium is not at ${chromiumPath}: .ci/run must install it (apt-get install chromium)`);
  assert.fail(
    `the report's browser test needs Chromium at ${chromiumPath}: install it (Debian/Ubuntu: sudo apt-get install chromium) or set MMZERO_CHROMIUM to its path`,
  );
}

interface PageProblems {
  readonly errors: string[];
  readonly requests: string[];
}

async function openReport(browser: Browser, file: string): Promise<{ page: Page; problems: PageProblems }> {
  const page = await browser.newPage({ viewport });
  const problems: PageProblems = { errors: [], requests: [] };
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning")
      problems.errors.push(`${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.errors.push(`page error: ${error.message}`));
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith("data:") && url !== `file://${file}`) problems.requests.push(url);
  });
  await page.goto(`file://${file}`, { waitUntil: "load" });
  return { page, problems };
}

/** Per chart: whether it has a canvas, and how many of its pixels have one of its series' colours. */
const chartPixelsScript = `(() => {
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const near = (pixels, index, [red, green, blue]) =>
    Math.abs(pixels[index] - red) <= 24 && Math.abs(pixels[index + 1] - green) <= 24 && Math.abs(pixels[index + 2] - blue) <= 24;
  return [...document.querySelectorAll("[data-chart]")].map((element) => {
    const spec = data.charts[element.dataset.chart];
    const canvas = element.querySelector("canvas");
    if (spec === undefined || canvas === null) return { id: element.dataset.chart, seriesPixels: -1 };
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    const colours = spec.series.map(({ colour }) => [1, 3, 5].map((start) => parseInt(colour.slice(start, start + 2), 16)));
    let seriesPixels = 0;
    for (let index = 0; index < pixels.length; index += 4)
      if (pixels[index + 3] > 200 && colours.some((colour) => near(pixels, index, colour))) seriesPixels += 1;
    return { id: element.dataset.chart, seriesPixels };
  });
})()`;

const imagesScript = `[...document.images].map((image) => ({ complete: image.complete, width: image.naturalWidth }))`;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

async function chartPixels(page: Page): Promise<{ id: string; seriesPixels: number }[]> {
  const result: unknown = await page.evaluate(chartPixelsScript);
  assert.ok(Array.isArray(result));
  return result.map((entry) => {
    assert.ok(isRecord(entry) && typeof entry.id === "string" && typeof entry.seriesPixels === "number");
    return { id: entry.id, seriesPixels: entry.seriesPixels };
  });
}

async function assertPageHealthy(page: Page, problems: PageProblems, minimumCharts: number): Promise<void> {
  assert.deepEqual(problems.errors, [], "console errors");
  assert.deepEqual(problems.requests, [], "the page loaded something");
  const charts = await chartPixels(page);
  assert.ok(charts.length >= minimumCharts, `${charts.length} charts drawn`);
  for (const chart of charts)
    assert.ok(chart.seriesPixels >= 20, `chart ${chart.id} drew ${chart.seriesPixels} series pixels`);
  const images: unknown = await page.evaluate(imagesScript);
  assert.ok(Array.isArray(images));
  for (const image of images)
    assert.ok(isRecord(image) && image.complete === true && Number(image.width) > 0, JSON.stringify(image));
}

describe("the report in headless Chromium", () => {
  let workspace: TempDir;
  let browser: Browser;
  let richPage: string;
  let smokePage: string;

  before(async () => {
    assertChromiumInstalled();
    workspace = await makeTempDir("report-browser");
    await writeScriptedRun(join(workspace.path, "rich"));
    const checkpoint = await writeTestBase(workspace.path);
    const smoke = await runSession({
      config: resolveRunConfig("smoke", smokeOverrides(checkpoint)),
      outDir: join(workspace.path, "smoke"),
      resume: false,
      progress: { unit() {}, metrics() {} },
      clock: { nowIso: () => "2026-01-01T00:00:00.000Z" },
    });
    assert.equal(smoke.status, "completed", smoke.failure?.message);
    richPage = join(workspace.path, "rich.html");
    smokePage = join(workspace.path, "smoke.html");
    await writeFile(richPage, await renderReport(join(workspace.path, "rich")));
    await writeFile(smokePage, await renderReport(join(workspace.path, "smoke")));
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArguments });
    await mkdir(screenshotDirectory, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await workspace?.[Symbol.asyncDispose]();
  });

  test("a rich run: charts draw, images decode, injected markup stays text", async () => {
    const { page, problems } = await openReport(browser, richPage);
    await assertPageHealthy(page, problems, 20);
    assert.ok(
      ((await page.evaluate("document.images.length")) as number) > 10,
      "the gallery shows rendered images",
    );
    assert.equal(
      await page.evaluate("typeof window.__reportInjected"),
      "undefined",
      "model output ran as code",
    );
    assert.equal(await page.evaluate("document.scripts.length"), 3);
    const text = String(await page.evaluate("document.body.innerText"));
    assert.ok(
      text.includes("<script>window.__reportInjected = true</script>"),
      "the injected output is shown as text",
    );
    assert.equal(
      await page.evaluate("document.documentElement.scrollWidth"),
      viewport.width,
      "nothing overflows sideways",
    );
    await page.screenshot({ path: join(screenshotDirectory, "report.png"), fullPage: true });
    await page.close();
  });

  test("a random-base smoke run: empty charts say so, the rest draws", async () => {
    const { page, problems } = await openReport(browser, smokePage);
    await assertPageHealthy(page, problems, 5);
    assert.ok(
      ((await page.evaluate("document.querySelectorAll('[data-chart-empty]').length")) as number) > 0,
    );
    await page.screenshot({ path: join(screenshotDirectory, "report-random-base.png"), fullPage: true });
    await page.close();
  });

  test("gallery filters show only the chosen cards and say how many", async () => {
    const { page, problems } = await openReport(browser, richPage);
    await page.selectOption('[data-gallery-filter="outcome"]', "render-failed");
    await page.selectOption('[data-gallery-filter="phase"]', "proposer");
    const visible: unknown = await page.evaluate(
      `[...document.querySelectorAll("[data-gallery-card]")].filter((card) => !card.hidden).map((card) => card.dataset.outcome + "/" + card.dataset.phase)`,
    );
    assert.ok(Array.isArray(visible) && visible.length > 0);
    assert.deepEqual(new Set(visible), new Set(["render-failed/proposer"]));
    assert.match(
      String(await page.textContent("#gallery-count")),
      new RegExp(`^${visible.length} of \\d+ shown$`),
    );
    assert.deepEqual(problems.errors, []);
    await page.close();
  });
});
