import { type Logger, pino } from "pino";

export interface DaemonLoggerOptions {
  /** A file to append JSON lines to; @default stderr */
  readonly file?: string;
  /** @default "info" */
  readonly level?: string;
}

/**
 * The daemon's structured log: pino JSON lines (one object per line, `msg` written for people,
 * the fields for machines). Synchronous writes: a daemon logs a few lines per unit, and a line
 * written before exit must not be lost in a buffer.
 */
export function createDaemonLogger(options: DaemonLoggerOptions = {}): Logger {
  const destination = pino.destination({ dest: options.file ?? 2, sync: true, mkdir: true, append: true });
  return pino({ name: "mmzero-daemon", level: options.level ?? "info" }, destination);
}
