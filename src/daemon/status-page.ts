import { escapeHtml } from "../report/index.ts";
import type { RunView } from "./run-daemon.ts";

/** Why: often enough to watch a run move, rarely enough to cost nothing. */
export const statusPageRefreshSeconds = 5;

function row(label: string, value: string): string {
  return `<tr><th>${escapeHtml(label)}</th><td>${value}</td></tr>`;
}

/**
 * A run's status page at `GET /runs/<id>`: status, position, the unit in progress, the event
 * count, and links to the JSON. Live: it reloads itself while the run is queued or running.
 * Every value from a run goes through escapeHtml.
 */
export function statusPageHtml(view: RunView, note?: string): string {
  const live = view.status === "queued" || view.status === "running";
  const rows = [
    row("status", `<strong>${escapeHtml(view.status)}</strong>`),
    row("preset", escapeHtml(view.preset)),
    row("submission", String(view.sequence)),
    row("events", String(view.events)),
  ];
  if (view.queuePosition !== null) rows.push(row("queue position", String(view.queuePosition)));
  if (view.currentUnit !== null) rows.push(row("current unit", escapeHtml(view.currentUnit)));
  if (view.lastEventType !== null) rows.push(row("last event", escapeHtml(view.lastEventType)));
  if (view.cancelRequested) rows.push(row("cancel", "requested: the run stops after its current unit"));
  if (view.failure !== null)
    rows.push(row("failure", `${escapeHtml(view.failure.name)}: ${escapeHtml(view.failure.message)}`));
  rows.push(row("directory", `<code>${escapeHtml(view.runDirectory)}</code>`));
  const id = escapeHtml(view.runId);
  const body = `<h1>run <code>${id}</code></h1>
${note === undefined ? "" : `<p><em>${escapeHtml(note)}</em></p>`}
<table>${rows.join("")}</table>
<p><a href="/runs/${id}/status">status as JSON</a> · <a href="/">all runs</a> · <a href="/metrics">metrics</a></p>
${live ? `<p>This page reloads every ${statusPageRefreshSeconds} s while the run is ${escapeHtml(view.status)}.</p>` : ""}`;
  return daemonPageHtml({ title: `mmzero run ${view.runId}`, live, body });
}

/**
 * The frame of the daemon's own pages: no scripts, nothing loaded from elsewhere (the CSP says so),
 * and a reload every statusPageRefreshSeconds while `live`. `body` is HTML the caller escaped.
 */
export function daemonPageHtml(page: { title: string; live: boolean; body: string }): string {
  const refresh = page.live ? `<meta http-equiv="refresh" content="${statusPageRefreshSeconds}">` : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${refresh}
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(page.title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}th{text-align:left;padding-right:1em;color:#555}td,th{padding:.2em .5em}</style>
</head><body>
${page.body}
</body></html>
`;
}
