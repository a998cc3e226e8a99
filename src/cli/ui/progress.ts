import { type Clock, type ProgressSink, type ScheduleUnit, unitKey } from "../../actors/index.ts";
import { createProgressDisplay, type ProgressDisplay } from "./progress-display.ts";

/** The wall clock for event metadata (`at`) only: never hashed, never read by logic. */
export const systemClock: Clock = {
  nowIso: () => new Date().toISOString(), // wall-clock-ok: metadata only
};

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}

/** A dataset or step with nothing in it trains on nothing: its rewards read 0 and mean nothing. */
function trainsOnNothing(values: Readonly<Record<string, number>>): boolean {
  return values.kept === 0 || values.prompts === 0;
}

/**
 * Progress of a run for people on stderr: `unit x/N` of the run's schedule with an ETA (from the
 * pace of the units run by this process), a line per unit and per metrics report, and a loud
 * warning when a phase keeps nothing to train on.
 */
export function createConsoleProgress(
  schedule: readonly ScheduleUnit[] = [],
  display: ProgressDisplay = createProgressDisplay("run"),
): ProgressSink & { elapsedMs(): number; stop(): void } {
  const started = performance.now(); // wall-clock-ok: display only
  const positions = new Map(schedule.map((unit, index) => [unitKey(unit), index + 1]));
  const stamp = () => `[${((performance.now() - started) / 1000).toFixed(1).padStart(6)}s]`; // wall-clock-ok
  return {
    unit(description, unit) {
      const position = unit === undefined ? undefined : positions.get(unitKey(unit));
      if (position === undefined) {
        display.log(`${stamp()} ${description}`);
        return;
      }
      const total = schedule.length;
      display.log(
        `${stamp()} unit ${String(position).padStart(String(total).length)}/${total}  ${description}`,
      );
      // Units before this process's first one were done by an earlier process (a resume); the
      // display's ETA counts only the units done here.
      display.update(position - 1, total, description);
    },
    metrics(label, values) {
      const text = Object.entries(values)
        .map(([key, value]) => `${key}=${formatValue(value)}`)
        .join(" ");
      display.log(`${stamp()}   ${label}: ${text}`);
      if (trainsOnNothing(values))
        display.log(
          `${stamp()}   WARNING: ${label} has nothing to train on (kept=0 or prompts=0): the steps that follow update nothing and their reward=0 means nothing`,
        );
    },
    elapsedMs: () => performance.now() - started, // wall-clock-ok: display only
    stop: () => display.stop(),
  };
}
