import assert from "node:assert/strict";
import type { RunConfig } from "../config/index.ts";

/**
 * Where a run stands in this daemon. "stopped": a drain ended it between units; it is unfinished
 * and resumes when the daemon starts again. "cancelled": `DELETE /runs/<id>` ended it (queued, or
 * running between units); final: it never starts again in this daemon, restarts included.
 */
export type RunStatus = "queued" | "running" | "completed" | "failed" | "stopped" | "cancelled";

/** Every status, in the order metrics list them. */
export const runStatuses: readonly RunStatus[] = [
  "queued",
  "running",
  "completed",
  "failed",
  "stopped",
  "cancelled",
];

export interface RunFailure {
  readonly name: string;
  readonly message: string;
}

export interface RunEntry {
  readonly runId: string;
  readonly preset: string;
  readonly sequence: number;
  readonly config: RunConfig;
  readonly status: RunStatus;
  /** Events in the run's log, as last seen (the live count comes from the running run's watcher). */
  readonly events: number;
  readonly failure: RunFailure | null;
}

/** The queue is at its bound: the HTTP API answers 429 with this message. */
export class QueueFullError extends Error {
  override readonly name = "QueueFullError";
  constructor(readonly queueMax: number) {
    super(
      `the daemon's queue already holds ${queueMax} runs (--queue-max ${queueMax}); submit again when one has started`,
    );
  }
}

/**
 * The daemon's runs: every known run by id, and the queue of those waiting. Queued runs start in
 * sequence (acceptance) order, so runs found unfinished at startup, which keep their old sequences,
 * go before anything submitted since. Pure bookkeeping: no I/O, no clock.
 */
export class RunTable {
  readonly #entries = new Map<string, RunEntry>();
  /** Ids of queued runs, including admitted ones whose submission is still being written. */
  readonly #waiting = new Set<string>();
  /** Admitted runs not yet confirmed (their submission is being written): they cannot start yet. */
  readonly #unconfirmed = new Set<string>();
  #sequenceMax = 0;

  constructor(readonly queueMax: number) {
    assert(Number.isInteger(queueMax) && queueMax >= 1, `queueMax must be an integer >= 1, got ${queueMax}`);
  }

  get(runId: string): RunEntry | undefined {
    return this.#entries.get(runId);
  }

  /** Every run, in sequence order. */
  list(): RunEntry[] {
    return [...this.#entries.values()].sort((left, right) => left.sequence - right.sequence);
  }

  /** The sequence the next new submission gets. */
  nextSequence(): number {
    return this.#sequenceMax + 1;
  }

  /** Runs waiting to start (including admitted ones whose submission is still being written). */
  waitingCount(): number {
    return this.#waiting.size;
  }

  /** Queue position (1 = next to start) of a queued run, or null. */
  positionOf(runId: string): number | null {
    if (!this.#waiting.has(runId)) return null;
    const sequence = this.#entries.get(runId)!.sequence;
    let position = 1;
    for (const id of this.#waiting) if (this.#entries.get(id)!.sequence < sequence) position += 1;
    return position;
  }

  /** A run known from disk at startup: queued if unfinished (no bound: it was accepted before), else recorded as it ended. */
  restore(entry: RunEntry): void {
    assert(!this.#entries.has(entry.runId), `run ${entry.runId} is restored twice`);
    assert(entry.status !== "running", `run ${entry.runId} cannot be restored as running`);
    this.#insert(entry);
  }

  /**
   * A new submission, queued but unable to start until `confirm` (its submission is written first);
   * QueueFullError when the queue is at its bound.
   */
  admit(entry: Omit<RunEntry, "status" | "events" | "failure">): RunEntry {
    assert(!this.#entries.has(entry.runId), `run ${entry.runId} is admitted twice: look it up first`);
    if (this.#waiting.size >= this.queueMax) throw new QueueFullError(this.queueMax);
    const admitted: RunEntry = { ...entry, status: "queued", events: 0, failure: null };
    this.#insert(admitted);
    this.#unconfirmed.add(admitted.runId);
    return admitted;
  }

  /** The admitted run's submission is on disk: it may start. */
  confirm(runId: string): void {
    assert(this.#unconfirmed.delete(runId), `run ${runId} is not awaiting confirmation`);
  }

  /** Forgets an admitted run whose submission could not be written (it was never acknowledged). */
  withdraw(runId: string): void {
    assert(this.#unconfirmed.delete(runId), `run ${runId} is not awaiting confirmation`);
    this.#waiting.delete(runId);
    this.#entries.delete(runId);
  }

  /** The confirmed queued run with the lowest sequence, now running; undefined if none. */
  takeNext(): RunEntry | undefined {
    let next: RunEntry | undefined;
    for (const id of this.#waiting) {
      const entry = this.#entries.get(id)!;
      if (!this.#unconfirmed.has(id) && (next === undefined || entry.sequence < next.sequence)) next = entry;
    }
    if (next === undefined) return undefined;
    this.#waiting.delete(next.runId);
    const running: RunEntry = { ...next, status: "running" };
    this.#entries.set(next.runId, running);
    return running;
  }

  /** Ends a queued (confirmed) or drain-stopped run for good (DELETE /runs/<id>); it leaves the queue. */
  cancel(runId: string): void {
    const entry = this.#entries.get(runId);
    assert(entry?.status === "queued" || entry?.status === "stopped", `run ${runId} is not waiting`);
    assert(!this.#unconfirmed.has(runId), `run ${runId} is still being admitted`);
    this.#waiting.delete(runId);
    this.#entries.set(runId, { ...entry, status: "cancelled" });
  }

  /** Records how a running run ended. */
  finish(runId: string, ending: { status: RunStatus; events: number; failure: RunFailure | null }): void {
    const entry = this.#entries.get(runId);
    assert(entry?.status === "running", `run ${runId} is not running`);
    assert(ending.status !== "running" && ending.status !== "queued", `a run cannot end as ${ending.status}`);
    this.#entries.set(runId, { ...entry, ...ending });
  }

  #insert(entry: RunEntry): void {
    this.#entries.set(entry.runId, entry);
    this.#sequenceMax = Math.max(this.#sequenceMax, entry.sequence);
    if (entry.status === "queued") this.#waiting.add(entry.runId);
  }
}
