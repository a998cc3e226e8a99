import type { ObservedLog } from "../app/index.ts";
import type { RecordedEvent } from "../store/index.ts";

/**
 * Follows the running run's log from the first event appended after it was opened, handing each
 * event to `onEvent` (metrics, progress). A tail, not a hook in the recorder: the engine stays
 * unaware of the daemon, and the same code follows a file log or a JetStream log.
 */
export class LogWatcher {
  readonly #stop = new AbortController();
  readonly #log: ObservedLog;
  #lastSeq: number;
  #following: Promise<void> = Promise.resolve();

  private constructor(log: ObservedLog, lastSeq: number) {
    this.#log = log;
    this.#lastSeq = lastSeq;
  }

  /**
   * Starts following; call before the run appends anything (runSession's onLogOpened) so no append
   * is missed. `onError` gets a failure of the tail itself (the run goes on; metrics stop).
   */
  static async follow(
    log: ObservedLog,
    onEvent: (recorded: RecordedEvent) => void,
    onError: (error: unknown) => void,
  ): Promise<LogWatcher> {
    const watcher = new LogWatcher(log, (await log.head()).seq);
    watcher.#following = watcher.#run(onEvent).catch(onError);
    return watcher;
  }

  /** Seq of the last event handed to `onEvent` (or the head when following began). */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Events in the log that the tail has not delivered yet; 0 once the log is closed. */
  async lag(): Promise<number> {
    try {
      return Math.max(0, (await this.#log.head()).seq - this.#lastSeq);
    } catch {
      // Why: a scrape racing the run's end finds the log closed; nothing is left to read then.
      return 0;
    }
  }

  /** Stops following and waits for the tail to end. */
  async close(): Promise<void> {
    this.#stop.abort();
    await this.#following;
  }

  async #run(onEvent: (recorded: RecordedEvent) => void): Promise<void> {
    for await (const recorded of this.#log.tail({ from: this.#lastSeq + 1, signal: this.#stop.signal })) {
      this.#lastSeq = recorded.event.seq;
      onEvent(recorded);
    }
  }
}
