import assert from "node:assert/strict";
import type { ReadRange } from "./event-log.ts";

/**
 * The seqs a read covers: `from` defaults to 1, `to` to the head at the time of the call and is
 * clamped to it; an empty range has from > to.
 */
export function resolveReadRange(range: ReadRange, headSeq: number): { from: number; to: number } {
  const { from = 1, to = headSeq } = range;
  assert(Number.isInteger(from) && from >= 1, `read from must be an integer >= 1, got ${from}`);
  assert(Number.isInteger(to) && to >= 0, `read to must be an integer >= 0, got ${to}`);
  return { from, to: Math.min(to, headSeq) };
}
