import { MultiBar } from "cli-progress";

/** Why: about 100 lines for any length of work keeps a log file of a long job readable. */
const plainLinesTarget = 100;

/**
 * "~1m20s": the remaining time at the pace so far (`doneHere` of the `done` items were done in
 * `elapsedMs`; the rest, e.g. before a resume, took no time here); null before anything is done.
 */
export function formatEta(elapsedMs: number, doneHere: number, done: number, total: number): string | null {
  if (doneHere <= 0 || total <= done) return null;
  const seconds = Math.round(((elapsedMs / doneHere) * (total - done)) / 1000);
  const minutes = Math.floor(seconds / 60);
  return minutes === 0 ? `~${seconds}s` : `~${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
}

/**
 * Progress for people, one way for every long command (run, pretrain, eval): on a terminal a
 * cli-progress bar (`label [bar] done/total · ETA · detail`) with lines logged above it; elsewhere
 * (logs, pipes) plain lines, the bar's state at most ~100 times over the whole job.
 */
export interface ProgressDisplay {
  /** A line for the record (above the bar on a terminal). */
  log(line: string): void;
  update(done: number, total: number, detail: string): void;
  /** Removes the bar (before the command prints its result). Idempotent. */
  stop(): void;
}

export function createProgressDisplay(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressDisplay {
  const started = performance.now(); // wall-clock-ok: display only
  // The first update's count was done before this display started (0, or the units of a resumed run).
  let doneBefore: number | null = null;
  const eta = (done: number, total: number) => {
    doneBefore ??= done;
    const elapsedMs = performance.now() - started; // wall-clock-ok: display only
    return formatEta(elapsedMs, done - doneBefore, done, total) ?? "-";
  };
  if (stream.isTTY !== true) {
    let lastShown = -1;
    return {
      log: (line) => stream.write(`${line}\n`),
      update(done, total, detail) {
        const every = Math.max(1, Math.floor(total / plainLinesTarget));
        if (done === lastShown || (done % every !== 0 && done !== total)) return;
        lastShown = done;
        stream.write(`${label} ${done}/${total} · ETA ${eta(done, total)} · ${detail}\n`);
      },
      stop() {},
    };
  }
  // The bar appears at the first update, so a command that only logs lines draws none.
  let bars: { multi: MultiBar; bar: ReturnType<MultiBar["create"]> } | null = null;
  let stopped = false;
  return {
    log: (line) => (bars === null ? stream.write(`${line}\n`) : bars.multi.log(`${line}\n`)),
    update(done, total, detail) {
      if (stopped) return;
      if (bars === null) {
        const multi = new MultiBar({
          stream,
          format: `${label} [{bar}] {value}/{total} · ETA {eta} · {detail}`,
          hideCursor: true,
          clearOnComplete: true,
          barsize: 24,
        });
        bars = { multi, bar: multi.create(total, done, { eta: "-", detail }) };
      }
      bars.bar.setTotal(total);
      bars.bar.update(done, { eta: eta(done, total), detail });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bars?.multi.stop();
    },
  };
}
