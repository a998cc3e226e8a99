import { join } from "node:path";
import pino from "pino";
import type { ProgressSink } from "../actors/loop/context.ts";

export const runLogFileName = "run.log";

/**
 * Structured logs of a run: JSON lines in `<run dir>/run.log` (pino), one per schedule unit and per
 * metrics report, next to whatever the caller shows people. The log is for machines (grep, jq,
 * dashboards); the event log remains the record of the run.
 */
export function withStructuredLog(
  outDir: string,
  runId: string,
  progress: ProgressSink,
): ProgressSink & { flush(): void; repair(message: string, fields: object): void } {
  const destination = pino.destination({ dest: join(outDir, runLogFileName), sync: false, mkdir: true });
  const logger = pino({ base: { runId } }, destination);
  return {
    unit(description) {
      logger.info({ kind: "unit", unit: description }, description);
      progress.unit(description);
    },
    metrics(label, values) {
      logger.info({ kind: "metrics", label, ...values }, label);
      progress.metrics(label, values);
    },
    /** A repair of the run's storage made on open (a torn tail cut off, a stale lock removed). */
    repair(message, fields) {
      logger.warn({ kind: "repair", repair: fields }, message);
    },
    flush() {
      destination.flushSync();
    },
  };
}
