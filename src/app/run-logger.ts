import { join } from "node:path";
import pino from "pino";
import type { LoopFailure, ProgressSink } from "../actors/index.ts";
import { runLogFileName } from "../report/index.ts";
import { type UnitFields, unitFields } from "./unit-fields.ts";

/** One name for the file, shared with the report, which reads its failure lines back. */
export { runLogFileName };

/**
 * Structured logs of a run: JSON lines in `<run dir>/run.log` (pino), one per schedule unit and per
 * metrics report, next to whatever the caller shows people. Each line carries the unit's numeric
 * `iteration` and 1-based `step`, its `phase`, `role` and `stage` as fields (metrics belong to the
 * unit running when they are reported), so jq and dashboards need not parse labels. The log is for
 * machines; the event log remains the record of the run.
 */
export function withStructuredLog(
  outDir: string,
  runId: string,
  progress: ProgressSink,
): ProgressSink & {
  failure(failure: LoopFailure): void;
  flush(): void;
  repair(message: string, fields: object): void;
} {
  // Why sync: a few lines per unit cost nothing, and every line is on disk even when the run crashes
  // (an asynchronous destination also refuses flushSync until its file is open).
  const destination = pino.destination({ dest: join(outDir, runLogFileName), sync: true, mkdir: true });
  const logger = pino({ base: { runId } }, destination);
  let where: UnitFields = {};
  return {
    unit(description, unit) {
      where = unit === undefined ? {} : unitFields(unit);
      logger.info({ kind: "unit", unit: description, ...where }, description);
      progress.unit(description, unit);
    },
    metrics(label, values) {
      logger.info({ kind: "metrics", label, ...where, ...values }, label);
      progress.metrics(label, values);
    },
    /** Every failure, recoverable ones included: those are in no event, so this line is their record. */
    failure(failure) {
      logger.error({ kind: "failure", ...failure }, `${failure.name}: ${failure.message}`);
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
