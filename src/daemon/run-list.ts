import { escapeHtml } from "../report/index.ts";
import type { RunView } from "./run-daemon.ts";
import { daemonPageHtml } from "./status-page.ts";

/** Quality of one media type in an Accept header (`type/*` and `*` ranges count; absent: 0). */
function qualityOf(ranges: ReadonlyMap<string, number>, type: string): number {
  return ranges.get(type) ?? ranges.get(`${type.split("/")[0]}/*`) ?? ranges.get("*/*") ?? 0;
}

/**
 * Whether `GET /` answers HTML: only when the Accept header rates text/html above application/json
 * (a browser: `text/html,...,*\/*;q=0.8`). No header, `*\/*` (curl, fetch) and ties get JSON, the
 * form scripts read.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const ranges = new Map<string, number>();
  for (const part of accept.split(",")) {
    const [range = "", ...parameters] = part.split(";").map((piece) => piece.trim().toLowerCase());
    const q = parameters.find((parameter) => parameter.startsWith("q="));
    const quality = q === undefined ? 1 : Number(q.slice(2));
    if (range !== "") ranges.set(range, Number.isFinite(quality) ? quality : 0);
  }
  return qualityOf(ranges, "text/html") > qualityOf(ranges, "application/json");
}

/** `GET /` for people: every run with its status, linked to its page; reloads while any run is live. */
export function runListHtml(views: readonly RunView[]): string {
  const live = views.some((view) => view.status === "queued" || view.status === "running");
  const rows = views.map((view) => {
    const id = escapeHtml(view.runId);
    const where =
      view.currentUnit !== null
        ? escapeHtml(view.currentUnit)
        : view.queuePosition !== null
          ? `queue position ${view.queuePosition}`
          : "";
    return `<tr><td><a href="/runs/${id}"><code>${id}</code></a></td><td>${escapeHtml(view.preset)}</td><td><strong>${escapeHtml(view.status)}</strong></td><td>${view.events}</td><td>${where}</td></tr>`;
  });
  const table =
    views.length === 0
      ? "<p>No runs yet: submit one with <code>mmzero submit &lt;preset&gt;</code> or <code>POST /runs</code>.</p>"
      : `<table><tr><th>run</th><th>preset</th><th>status</th><th>events</th><th>now</th></tr>${rows.join("")}</table>`;
  const body = `<h1>mmzero daemon: ${views.length} run(s)</h1>
${table}
<p><a href="/runs">runs as JSON</a> · <a href="/healthz">healthz</a> · <a href="/readyz">readyz</a> · <a href="/metrics">metrics</a></p>`;
  return daemonPageHtml({ title: "mmzero daemon", live, body });
}
