import type { Clock, ProgressSink } from "../../actors/index.ts";

/** The wall clock for event metadata (`at`) only: never hashed, never read by logic. */
export const systemClock: Clock = {
  nowIso: () => new Date().toISOString(), // wall-clock-ok: metadata only
};

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}

/**
 * Progress for people on stderr: one line per schedule unit with its elapsed time, and metric lines
 * as units report them. Lines (not a redrawn bar) so logs of long runs stay readable everywhere.
 */
export function createConsoleProgress(
  stream: NodeJS.WritableStream = process.stderr,
): ProgressSink & { elapsedMs(): number } {
  const started = performance.now(); // wall-clock-ok: display only
  let unitStarted = started;
  let current = "";
  const stamp = () => `[${((performance.now() - started) / 1000).toFixed(1).padStart(6)}s]`; // wall-clock-ok
  return {
    unit(description) {
      const now = performance.now(); // wall-clock-ok: display only
      if (current !== "") stream.write(`${stamp()}   done in ${((now - unitStarted) / 1000).toFixed(1)}s\n`);
      unitStarted = now;
      current = description;
      stream.write(`${stamp()} ${description}\n`);
    },
    metrics(label, values) {
      const text = Object.entries(values)
        .map(([key, value]) => `${key}=${formatValue(value)}`)
        .join(" ");
      stream.write(`${stamp()}   ${label}: ${text}\n`);
    },
    elapsedMs: () => performance.now() - started, // wall-clock-ok: display only
  };
}
