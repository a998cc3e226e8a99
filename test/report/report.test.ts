// Goal: the report of a real loop run (scripted policies, real actors, recorder, rewards and
// renderer) counts what the log holds, escapes every model output, is deterministic, and the
// `mmzero report` command writes it.
// Method: one scripted run (scripted-run.ts) written to a temp directory; the fold's numbers are
// compared with counts and joins computed here directly from the raw events.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { EventOf, MmzeroEvent } from "../../src/events/index.ts";
import {
  foldRunDirectory,
  gallerySamplesMaxDefault,
  type ReportState,
  RunDirectoryError,
  renderReport,
  reportMetrics,
} from "../../src/report/index.ts";
import { type RecordedEvent, readFileLogReadOnly } from "../../src/store/index.ts";
import { makeTempDir, type TempDir } from "../support/temp-dir.ts";
import { injectedMarkup, writeScriptedRun } from "./scripted-run.ts";

function ofType<Type extends MmzeroEvent["type"]>(events: readonly RecordedEvent[], type: Type) {
  return events
    .map((recorded) => recorded.event)
    .filter((event): event is EventOf<Type> => event.type === type);
}

describe("the report of a scripted run", () => {
  let workspace: TempDir;
  let runDirectory: string;
  let events: RecordedEvent[];
  let state: ReportState;

  before(async () => {
    workspace = await makeTempDir("report");
    runDirectory = join(workspace.path, "run");
    await writeScriptedRun(runDirectory);
    events = [];
    for await (const recorded of readFileLogReadOnly(join(runDirectory, "events"))) events.push(recorded);
    ({ state } = await foldRunDirectory(runDirectory));
  });
  after(async () => {
    await workspace[Symbol.asyncDispose]();
  });

  test("counts what the log holds", () => {
    const units = Object.values(state.units).map((entry) => entry.metrics);
    const sum = (read: (metrics: (typeof units)[number]) => number) =>
      units.reduce((total, metrics) => total + read(metrics), 0);
    assert.equal(
      sum((metrics) => metrics.proposals),
      ofType(events, "ProposalSampled").length,
    );
    assert.equal(
      sum((metrics) => metrics.codes),
      ofType(events, "CodeSampled").length,
    );
    assert.equal(
      sum((metrics) => metrics.rendered),
      ofType(events, "ImageRendered").length,
    );
    const failures = sum((metrics) => Object.values(metrics.renderFailures).reduce((a, b) => a + b, 0));
    assert.equal(failures, ofType(events, "RenderFailed").length);
    assert.equal(
      sum((metrics) => metrics.reward.count),
      ofType(events, "RewardScored").length,
    );
    assert.equal(
      sum((metrics) => metrics.updates),
      ofType(events, "PolicyUpdated").length,
    );
    assert.ok(failures > 0 && sum((metrics) => metrics.rendered) > 0, "the scripted run has both outcomes");
    assert.equal(state.run.status, "completed");
    assert.equal(state.run.eventCount, events.length);
    assert.equal(state.run.chainHead, events.at(-1)!.chainHash);
    assert.equal(state.run.phases.length, 6);
    assert.equal(reportMetrics(state).benchmark.length, ofType(events, "BenchmarkEvaluated").length);
  });

  test("the Coder's per-step render rate matches a direct join of its rollouts and renders", () => {
    const rollouts = ofType(events, "CodeSampled").filter(
      (code) => code.payload.phase === "coder" && code.payload.purpose === "rollout",
    );
    const renderedIds = new Set(ofType(events, "ImageRendered").map((image) => image.payload.codeId));
    const steps = reportMetrics(state).steps.coder;
    assert.ok(steps.length > 0);
    for (const point of steps) {
      const ofStep = rollouts.filter(
        (code) => code.payload.iteration === point.iteration && code.payload.step === point.step,
      );
      const expected = ofStep.filter((code) => renderedIds.has(code.id)).length / ofStep.length;
      assert.equal(point.summary.renderRate, expected, point.label);
      const rewards = ofType(events, "RewardScored").filter(
        (reward) =>
          reward.payload.role === "coder" &&
          reward.payload.iteration === point.iteration &&
          reward.payload.step === point.step,
      );
      const mean = rewards.reduce((total, reward) => total + reward.payload.total, 0) / rewards.length;
      assert.ok(Math.abs(point.summary.rewardMean! - mean) < 1e-12, point.label);
    }
  });

  test("funnels are monotone and match the recorded datasets", () => {
    const datasets = ofType(events, "DatasetBuilt");
    const views = reportMetrics(state).datasets;
    assert.equal(views.length, datasets.length);
    for (const [index, view] of views.entries()) {
      const { funnel } = view;
      assert.ok(
        funnel.proposals >= funnel.valid && funnel.valid >= funnel.rendered && funnel.rendered >= funnel.kept,
        JSON.stringify(view),
      );
      assert.equal(funnel.proposals, datasets[index]!.payload.funnel.proposals);
      const items = datasets[index]!.payload;
      assert.equal(funnel.kept, view.phase === "coder" ? items.promptIds.length : items.items.length);
      if (view.phase === "solver") {
        const checked = view.pseudoLabelAccuracy?.total ?? 0;
        assert.equal(checked + view.pseudoLabelsUnknown, items.items.length);
      }
    }
  });

  test("the page escapes model outputs, embeds its data and images, and is deterministic", async () => {
    const html = await renderReport(runDirectory);
    assert.ok(!html.includes(injectedMarkup), "model output reached the page as markup");
    assert.ok(
      html.includes("&lt;script&gt;window.__reportInjected = true&lt;/script&gt;"),
      "the injected text is shown escaped",
    );
    assert.equal(html.match(/<script[\s>]/g)?.length, 3, "only the data block, uPlot and the page script");
    assert.ok(
      !/https?:\/\/(?!www\.w3\.org)/.test(html.replace(/<script>[\s\S]*?<\/script>/g, "")),
      "no external URL",
    );
    const data = JSON.parse(
      html.match(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/)![1]!,
    );
    const chartIds = Object.keys(data.charts);
    assert.ok(chartIds.length >= 15, `${chartIds.length} charts`);
    for (const id of chartIds)
      assert.ok(html.includes(`data-chart="${id}"`), `chart ${id} has no place on the page`);
    const cards = html.match(/<article class="card" data-gallery-card/g)?.length ?? 0;
    assert.ok(cards > 0 && cards <= gallerySamplesMaxDefault, `${cards} cards`);
    assert.ok(html.includes('src="data:image/png;base64,'), "gallery images are inlined");
    assert.equal(await renderReport(runDirectory), html);
    const live = await renderReport(runDirectory, { refreshSeconds: 5, gallerySamplesMax: 3 });
    assert.match(live, /"refreshSeconds":5/);
    assert.equal(live.match(/<article class="card" data-gallery-card/g)?.length, 3);
  });

  test("`mmzero report` writes the page; a directory without a log is refused with the reason", async () => {
    const out = join(workspace.path, "report.html");
    const run = spawnSync(process.execPath, ["bin/mmzero.js", "report", runDirectory, "--out", out], {
      encoding: "utf8",
      timeout: 60_000,
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /report written to/);
    assert.equal(await readFile(out, "utf8"), await renderReport(runDirectory));
    await assert.rejects(renderReport(workspace.path), RunDirectoryError);
  });
});

// The committed replay fixtures (test/fixtures/runs, recorded by scripts/record-fixture.ts) are real
// runs of the model: each must give a page that accounts for all of its events.
const fixtureRuns = join(import.meta.dirname, "../fixtures/runs");
const fixtureNames = existsSync(fixtureRuns) ? readdirSync(fixtureRuns).sort() : [];
for (const name of fixtureNames) {
  test(`the committed fixture run ${name} gives a page`, async () => {
    const directory = join(fixtureRuns, name);
    const { state } = await foldRunDirectory(directory);
    let count = 0;
    for await (const _recorded of readFileLogReadOnly(join(directory, "events"))) count += 1;
    assert.equal(state.run.eventCount, count);
    const html = await renderReport(directory);
    assert.match(html, new RegExp(`mmzero run ${state.run.runId}`));
  });
}
