import assert from "node:assert/strict";
import { LogClosedError } from "./errors.ts";
import type { RecordedEvent, TailOptions } from "./event-log.ts";

/** Wakes every waiting tail when the log changes (an append or a close). */
export class AppendNotifier {
  readonly #waiters = new Set<() => void>();

  notify(): void {
    // Hot path (every append): most logs have no tail waiting.
    if (this.#waiters.size === 0) return;
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }

  /** Resolves on the next notify() or when the signal aborts, whichever comes first. */
  wait(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        this.#waiters.delete(wake);
        signal?.removeEventListener("abort", wake);
        resolve();
      };
      this.#waiters.add(wake);
      signal?.addEventListener("abort", wake, { once: true });
    });
  }
}

/** What a tail needs from an adapter. */
export interface TailSource {
  readonly runId: string;
  readonly notifier: AppendNotifier;
  isClosed(): boolean;
  headSeq(): number;
  /** Reads seqs from..to (both present in the log). */
  readRange(from: number, to: number): AsyncIterable<RecordedEvent>;
}

/**
 * A live tail: delivers seq `from`, `from + 1`, ... exactly once and in order, reading what is in the
 * log and then waiting for appends. Ends without error when the signal aborts or the log closes.
 */
export async function* tailEvents(
  source: TailSource,
  options: TailOptions = {},
): AsyncGenerator<RecordedEvent> {
  const { from = 1, signal } = options;
  assert(Number.isInteger(from) && from >= 1, `tail from must be an integer >= 1, got ${from}`);
  if (source.isClosed()) throw new LogClosedError(source.runId);
  const isStopped = (): boolean => source.isClosed() || signal?.aborted === true;
  let next = from;
  while (!isStopped()) {
    const head = source.headSeq();
    if (next > head) {
      await source.notifier.wait(signal);
      continue;
    }
    try {
      for await (const recorded of source.readRange(next, head)) {
        assert.equal(recorded.event.seq, next, "a tail must deliver every seq once, in order");
        yield recorded;
        next += 1;
        if (isStopped()) return;
      }
    } catch (error) {
      // Why: a close racing a read ends the tail, as a close while waiting does.
      if (error instanceof LogClosedError) return;
      throw error;
    }
  }
}
