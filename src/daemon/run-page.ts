import type { Logger } from "pino";
import { RunDirectoryError, renderReport } from "../report/index.ts";
import type { RunView } from "./run-daemon.ts";
import { statusPageHtml, statusPageRefreshSeconds } from "./status-page.ts";

/**
 * The page at `GET /runs/<id>`: the run report (src/report), reloading itself while the run is
 * queued or running, once the run directory holds a log; the daemon's status page before that
 * (a queued run), on NATS (the log is a JetStream stream, not a directory), or when the report
 * cannot be built (the error is logged and named on the page).
 */
export async function runPageHtml(view: RunView, logger: Logger): Promise<string> {
  const live = view.status === "queued" || view.status === "running";
  try {
    return await renderReport(view.runDirectory, live ? { refreshSeconds: statusPageRefreshSeconds } : {});
  } catch (error) {
    if (error instanceof RunDirectoryError) return statusPageHtml(view);
    logger.warn({ runId: view.runId, err: error }, `the report of run ${view.runId} could not be built`);
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return statusPageHtml(
      view,
      `the run report could not be built (${reason}); this is the daemon's status page`,
    );
  }
}
