// Goal: untrusted text cannot become markup: escapeHtml leaves no markup characters and loses
// nothing, JSON embedded in a script element cannot end it, the CSP admits exactly the page's
// scripts, and pages of an empty or failed log still render.
// Method: fast-check over arbitrary strings (with markup-heavy fragments mixed in); the empty and
// failed cases are hand-built states.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { contentSecurityPolicy, escapeHtml, jsonForScript, scriptHashSource } from "../../src/report/html.ts";
import { emptyReportState, foldReport, renderReportFromState } from "../../src/report/index.ts";
import { EventScript } from "./synthetic-events.ts";

const seed = 20260109;
const hostile = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "</script>",
    "<!--",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "\u2028",
    "&amp;",
  ),
);
const hostileText = fc.array(hostile, { maxLength: 6 }).map((parts) => parts.join(""));

function unescapeHtml(text: string): string {
  return text
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");
}

test("escaped text has no markup characters and unescapes to the original", () => {
  fc.assert(
    fc.property(hostileText, (text) => {
      const escaped = escapeHtml(text);
      assert.ok(!/[<>"']/.test(escaped), escaped);
      assert.equal(unescapeHtml(escaped), text);
    }),
    { seed },
  );
});

test("embedded JSON cannot end its script element and parses back unchanged", () => {
  fc.assert(
    fc.property(fc.dictionary(hostileText, hostileText, { maxKeys: 4 }), (value) => {
      const embedded = jsonForScript(value);
      assert.ok(!embedded.includes("<"), embedded);
      assert.deepEqual(JSON.parse(embedded), JSON.parse(JSON.stringify(value)));
    }),
    { seed },
  );
});

test("the CSP lists a hash per script and forbids loading anything", () => {
  const policy = contentSecurityPolicy(["a()", "b()"]);
  assert.match(policy, /default-src 'none'/);
  assert.ok(policy.includes(scriptHashSource("a()")) && policy.includes(scriptHashSource("b()")));
  assert.notEqual(scriptHashSource("a()"), scriptHashSource("a() "));
});

test("an empty log and a failed run still give a page that says so", async () => {
  const empty = await renderReportFromState(emptyReportState(), null);
  assert.match(empty, /empty log/);
  assert.match(empty, /no data yet/);
  const script = new EventScript();
  script.add("RunFailed", "run/failed/0", { errorName: "BoomError", message: "the <Coder> crashed" });
  const failed = foldReport(script.events);
  assert.equal(failed.run.status, "failed");
  const html = await renderReportFromState(failed, null);
  assert.match(html, /Run failed: <b>BoomError<\/b> the &lt;Coder&gt; crashed/);
});
