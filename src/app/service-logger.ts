import { type Logger, pino } from "pino";

export interface DaemonLoggerOptions {
  /** A file to append JSON lines to; @default stderr */
  readonly file?: string;
  /** @default "info" */
  readonly level?: string;
  /** The `name` field of every line; @default "mmzero-daemon" */
  readonly name?: string;
}

/**
 * The daemon's (and `mmzero worker`'s) structured log: pino JSON lines (one object per line, `msg`
 * written for people, the fields for machines), the level as its name (`"level":"info"`, not pino's
 * number 30), as log shippers and `jq 'select(.level=="error")'` expect. Synchronous writes: a
 * daemon logs a few lines per unit, and a line written before exit must not be lost in a buffer.
 */
export function createDaemonLogger(options: DaemonLoggerOptions = {}): Logger {
  const destination = pino.destination({ dest: options.file ?? 2, sync: true, mkdir: true, append: true });
  return pino(
    {
      name: options.name ?? "mmzero-daemon",
      level: options.level ?? "info",
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
