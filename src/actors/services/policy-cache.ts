import { type LoadedCheckpoint, loadCheckpoint } from "../../gpu/index.ts";
import type { BlobStore } from "../../store/index.ts";

/** Why a bound: each cached policy holds its weights in backend memory; three roles plus a reference and a judge. */
export const cachedPoliciesMax = 6;

/**
 * Loaded policies by checkpoint blob, least recently used evicted (and disposed). Only for sampling:
 * training loads a private copy, because an update assigns the weights in place.
 */
export class PolicyCache {
  private readonly entries = new Map<string, Promise<LoadedCheckpoint>>();

  constructor(private readonly blobs: BlobStore) {}

  async get(checkpoint: string): Promise<LoadedCheckpoint> {
    let entry = this.entries.get(checkpoint);
    if (entry === undefined) {
      entry = loadCheckpoint(this.blobs, checkpoint);
      this.entries.set(checkpoint, entry);
      entry.catch(() => this.entries.delete(checkpoint));
      await this.evict();
    } else {
      // Re-insert: Map iteration order is insertion order, so the first key is the least recently used.
      this.entries.delete(checkpoint);
      this.entries.set(checkpoint, entry);
    }
    return entry;
  }

  private async evict(): Promise<void> {
    while (this.entries.size > cachedPoliciesMax) {
      const [oldest, entry] = this.entries.entries().next().value!;
      this.entries.delete(oldest);
      (await entry).model.dispose();
    }
  }

  async clear(): Promise<void> {
    const loaded = [...this.entries.values()];
    this.entries.clear();
    for (const entry of loaded) (await entry.catch(() => null))?.model.dispose();
  }
}
