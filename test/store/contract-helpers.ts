import assert from "node:assert/strict";
import { canonicalJson, type EventDraft, type MmzeroEvent } from "../../src/events/index.ts";
import type { EventLog, RecordedEvent, TailOptions } from "../../src/store/index.ts";

/** The event a draft becomes at a seq (what the log must hold). */
export function atSeq(draft: EventDraft, seq: number): MmzeroEvent {
  return { ...draft, seq };
}

export async function collect<Item>(items: AsyncIterable<Item>): Promise<Item[]> {
  const collected: Item[] = [];
  for await (const item of items) collected.push(item);
  return collected;
}

export async function readAll(log: EventLog): Promise<RecordedEvent[]> {
  return collect(log.read());
}

export function seqsOf(records: readonly RecordedEvent[]): number[] {
  return records.map((recorded) => recorded.event.seq);
}

/** Compares events by canonical JSON: the bytes the log stores (so -0 and 0 are the same number). */
export function assertSameEvents(actual: readonly MmzeroEvent[], expected: readonly MmzeroEvent[]): void {
  assert.deepEqual(actual.map(canonicalJson), expected.map(canonicalJson));
}

/** Takes `count` events from a tail, then stops it by breaking out of the loop. */
export async function takeFromTail(
  log: EventLog,
  count: number,
  options: TailOptions = {},
): Promise<RecordedEvent[]> {
  const taken: RecordedEvent[] = [];
  if (count === 0) return taken;
  for await (const recorded of log.tail(options)) {
    taken.push(recorded);
    if (taken.length === count) break;
  }
  return taken;
}

/** Drains a tail until it ends by itself (abort or close). */
export async function drainTail(log: EventLog, options: TailOptions, onEvent?: (seen: number) => void) {
  const seen: RecordedEvent[] = [];
  for await (const recorded of log.tail(options)) {
    seen.push(recorded);
    onEvent?.(seen.length);
  }
  return seen;
}

/** A promise resolved from outside: lets a test wait for a consumer to reach a point, without sleeps. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

export function range(first: number, last: number): number[] {
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, position) => first + position);
}
