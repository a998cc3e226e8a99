import assert from "node:assert/strict";
import { chainGenesis, chainNext } from "../events/index.ts";
import type { LogHead } from "./event-log.ts";

/** What a log keeps in memory per event: enough for idempotency, the chain and finding the bytes. */
export interface IndexEntry<Location> {
  readonly id: string;
  readonly contentHash: string;
  readonly chainHash: string;
  readonly location: Location;
}

/**
 * The in-memory index every adapter keeps: seq -> entry and id -> seq. It computes the chain as
 * entries are added, so the head's chain hash always covers every event in order.
 */
export class LogIndex<Location> {
  readonly #entries: IndexEntry<Location>[] = [];
  readonly #seqById = new Map<string, number>();

  get headSeq(): number {
    return this.#entries.length;
  }

  get head(): LogHead {
    return { seq: this.headSeq, chainHash: this.chainHashAt(this.headSeq) };
  }

  /** The chain hash after `seq` events (the genesis hash for 0). */
  chainHashAt(seq: number): string {
    if (!(Number.isInteger(seq) && seq >= 0 && seq <= this.headSeq))
      assert.fail(`seq ${seq} outside 0..${this.headSeq}`);
    return seq === 0 ? chainGenesis : this.entry(seq).chainHash;
  }

  seqOf(id: string): number | undefined {
    return this.#seqById.get(id);
  }

  entry(seq: number): IndexEntry<Location> {
    const entry = this.#entries[seq - 1];
    // Hot path (every read and append): the message is built only when the check fails.
    if (entry === undefined) assert.fail(`seq ${seq} is not in the index (head ${this.headSeq})`);
    return entry;
  }

  /** Adds the next event (seq = head + 1) and returns its entry with the new chain hash. */
  add(id: string, contentHash: string, location: Location): IndexEntry<Location> {
    if (this.#seqById.has(id)) assert.fail(`event id ${id} is already in the index`);
    const entry = {
      id,
      contentHash,
      chainHash: chainNext(this.chainHashAt(this.headSeq), contentHash),
      location,
    };
    this.#entries.push(entry);
    this.#seqById.set(id, this.#entries.length);
    return entry;
  }
}
