// Goal: GET / answers HTML only to clients that rate text/html above application/json (browsers),
// JSON to everything else (no Accept, */*, ties, JSON first); the HTML page links every run and
// escapes what it shows.
// Method: Accept headers real clients send, and fast-check (seeded) over q-values of the two types.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { prefersHtml, type RunView, runListHtml } from "../../src/daemon/index.ts";

describe("GET /", () => {
  test("browsers get HTML; curl, fetch and JSON clients get JSON", () => {
    const html = [
      "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8", // Chromium
      "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", // Firefox
      "text/*",
    ];
    const json = [undefined, "", "*/*", "application/json", "text/html;q=0.5, application/json", "image/png"];
    for (const accept of html) assert.equal(prefersHtml(accept), true, accept);
    for (const accept of json) assert.equal(prefersHtml(accept), false, String(accept));
  });

  test("HTML exactly when text/html's q is above application/json's", () => {
    const quality = fc.integer({ min: 0, max: 10 }).map((tenths) => tenths / 10);
    fc.assert(
      fc.property(quality, quality, fc.boolean(), (htmlQ, jsonQ, htmlFirst) => {
        const parts = [`text/html;q=${htmlQ}`, `application/json; q=${jsonQ}`];
        const accept = (htmlFirst ? parts : parts.reverse()).join(", ");
        assert.equal(prefersHtml(accept), htmlQ > jsonQ, accept);
      }),
      { seed: 2026, numRuns: 200 },
    );
  });

  test("the page links each run and escapes its fields", () => {
    const view = (runId: string, preset: string): RunView => ({
      runId,
      preset,
      sequence: 1,
      status: "queued",
      events: 0,
      failure: null,
      queuePosition: 1,
      currentUnit: null,
      lastEventType: null,
      cancelRequested: false,
      runDirectory: `/runs/${runId}`,
    });
    const page = runListHtml([view("smoke-aaaaaaaaaaaa", "<script>"), view("smoke-bbbbbbbbbbbb", "quick")]);
    assert.ok(page.includes('href="/runs/smoke-aaaaaaaaaaaa"'));
    assert.ok(page.includes('href="/runs/smoke-bbbbbbbbbbbb"'));
    assert.ok(!page.includes("<script>") && page.includes("&lt;script&gt;"));
    assert.match(page, /http-equiv="refresh"/, "a queued run makes the page live");
    assert.doesNotMatch(runListHtml([]), /http-equiv="refresh"/);
  });
});
