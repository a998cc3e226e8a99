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
  const refresh = live ? `<meta http-equiv="refresh" content="${statusPageRefreshSeconds}">` : "";
  const rows = [
    row("status", `<strong>${escapeHtml(view.status)}</strong>`),
    row("preset", escapeHtml(view.preset)),
    row("submission", String(view.sequence)),
    row("events", String(view.events)),
  ];
  if (view.queuePosition !== null) rows.push(row("queue position", String(view.queuePosition)));
  if (view.currentUnit !== null) rows.push(row("current unit", escapeHtml(view.currentUnit)));
  if (view.lastEventType !== null) rows.push(row("last event", escapeHtml(view.lastEventType)));
  if (view.failure !== null)
    rows.push(row("failure", `${escapeHtml(view.failure.name)}: ${escapeHtml(view.failure.message)}`));
  rows.push(row("directory", `<code>${escapeHtml(view.runDirectory)}</code>`));
  const id = escapeHtml(view.runId);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${refresh}
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>mmzero run ${id}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}th{text-align:left;padding-right:1em;color:#555}td,th{padding:.2em .5em}</style>
</head><body>
<h1>run <code>${id}</code></h1>
${note === undefined ? "" : `<p><em>${escapeHtml(note)}</em></p>`}
<table>${rows.join("")}</table>
<p><a href="/runs/${id}/status">status as JSON</a> · <a href="/runs">all runs</a> · <a href="/metrics">metrics</a></p>
${live ? `<p>This page reloads every ${statusPageRefreshSeconds} s while the run is ${escapeHtml(view.status)}.</p>` : ""}
</body></html>
`;
}
