import { createHash } from "node:crypto";

/**
 * HTML building blocks for the report. Everything that comes from a run's log is untrusted text
 * (model outputs above all): it enters the page only through `escapeHtml` or inside the JSON data
 * block through `jsonForScript`, never as markup.
 */

const htmlEscapes: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text safe in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => htmlEscapes[character]!);
}

/**
 * JSON safe inside a `<script type="application/json">` element: every "<" is written as \u003c,
 * so no "</script>" or "<!--" in the data can end the element, and U+2028/U+2029 are escaped for
 * old parsers. JSON.parse reads it back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** The CSP source of an inline script: its SHA-256, so only the page's own scripts may run. */
export function scriptHashSource(script: string): string {
  return `'sha256-${createHash("sha256").update(script, "utf8").digest("base64")}'`;
}

/**
 * The page's Content-Security-Policy: nothing loads from anywhere (the page is self-contained),
 * images only from data: URLs, and only the listed inline scripts run, so even markup that slipped
 * past escaping could not execute.
 */
export function contentSecurityPolicy(scripts: readonly string[]): string {
  return [
    "default-src 'none'",
    "img-src data:",
    "style-src 'unsafe-inline'",
    `script-src ${scripts.map(scriptHashSource).join(" ")}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

/** A number for people: fixed decimals, or an en dash for "nothing measured". */
export function formatNumber(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "–" : value.toFixed(digits);
}

export function formatPercent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? "–" : `${(value * 100).toFixed(digits)}%`;
}

/** A table from escaped cells: `head` and `rows` hold HTML already built by the caller. */
export function tableHtml(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  className = "data",
): string {
  const headRow = `<tr>${head.map((cell) => `<th>${cell}</th>`).join("")}</tr>`;
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join("")}</tr>`).join("\n");
  return `<table class="${className}"><thead>${headRow}</thead><tbody>${body}</tbody></table>`;
}

/** A hash shortened for reading, with the full value in a tooltip. */
export function hashHtml(hash: string | null | undefined, characters = 12): string {
  if (hash === null || hash === undefined) return "–";
  return `<code title="${escapeHtml(hash)}">${escapeHtml(hash.slice(0, characters))}</code>`;
}
