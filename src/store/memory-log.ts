import assert from "node:assert/strict";
import type { EventDraft } from "../events/index.ts";
import { type AppendPlan, planAppend } from "./append-plan.ts";
import { LogClosedError } from "./errors.ts";
import type { AppendOptions, EventLog, LogHead, ReadRange, RecordedEvent, TailOptions } from "./event-log.ts";
import { LogIndex } from "./log-index.ts";
import { resolveReadRange } from "./read-range.ts";
import { recordedFromBytes } from "./recorded.ts";
import { SerialQueue } from "./serial-queue.ts";
import { AppendNotifier, tailEvents } from "./tail.ts";

/**
 * The in-memory EventLog adapter: for tests and throwaway runs. It keeps each event's canonical
 * bytes, not the object, so every read decodes and validates as the durable adapters do and no
 * caller can mutate what the log holds.
 */
export class MemoryEventLog implements EventLog {
  readonly runId: string;
  readonly #index = new LogIndex<Uint8Array>();
  readonly #appends = new SerialQueue();
  readonly #notifier = new AppendNotifier();
  #closed = false;

  constructor(runId: string) {
    this.runId = runId;
  }

  async head(): Promise<LogHead> {
    this.#assertOpen();
    return this.#index.head;
  }

  append(drafts: readonly EventDraft[], options: AppendOptions = {}): Promise<readonly RecordedEvent[]> {
    return this.#appends.run(async () => {
      this.#assertOpen();
      const plan = await planAppend(
        this.#index,
        this.runId,
        drafts,
        options,
        async (seq) => this.#recordedAt(seq).event,
      );
      return this.#apply(plan);
    });
  }

  async *read(range: ReadRange = {}): AsyncGenerator<RecordedEvent> {
    this.#assertOpen();
    const { from, to } = resolveReadRange(range, this.#index.headSeq);
    for (let seq = from; seq <= to; seq++) {
      this.#assertOpen();
      yield this.#recordedAt(seq);
    }
  }

  tail(options: TailOptions = {}): AsyncIterable<RecordedEvent> {
    return tailEvents(
      {
        runId: this.runId,
        notifier: this.#notifier,
        isClosed: () => this.#closed,
        headSeq: () => this.#index.headSeq,
        readRange: (from, to) => this.read({ from, to }),
      },
      options,
    );
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#appends.drain();
    this.#closed = true;
    this.#notifier.notify();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #apply(plan: AppendPlan): readonly RecordedEvent[] {
    if (plan.kind === "retry") return plan.seqs.map((seq) => this.#recordedAt(seq));
    const recorded = plan.events.map(({ event, bytes, contentHash }) => {
      const entry = this.#index.add(event.id, contentHash, bytes);
      assert.equal(this.#index.headSeq, event.seq);
      return { event, contentHash, chainHash: entry.chainHash };
    });
    if (recorded.length > 0) this.#notifier.notify();
    return recorded;
  }

  #recordedAt(seq: number): RecordedEvent {
    const entry = this.#index.entry(seq);
    return recordedFromBytes(entry.location, seq, entry, () => ({
      location: `memory log of run ${this.runId}`,
      offset: 0,
    }));
  }

  #assertOpen(): void {
    if (this.#closed) throw new LogClosedError(this.runId);
  }
}

export function openMemoryLog(runId: string): MemoryEventLog {
  return new MemoryEventLog(runId);
}
