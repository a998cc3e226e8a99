import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { EventDraft, MmzeroEvent } from "../events/index.ts";
import { openFileBlobStore, openFileLog } from "../store/index.ts";
import { connectNats, openJetStreamBlobStore, openJetStreamLog } from "../store/jetstream/index.ts";

/** Why: a few hundred events per append keeps each segment write large and memory small. */
const appendBatchEvents = 256;
const sha256Pattern = /^[0-9a-f]{64}$/;

export class RunNotFoundError extends Error {
  override readonly name = "RunNotFoundError";
  constructor(
    readonly natsUrl: string,
    readonly runId: string,
  ) {
    super(
      `no events for run ${runId} on ${natsUrl}: check the run id (printed by \`mmzero run --nats\` and \`mmzero submit\`)`,
    );
  }
}

export class PullTargetError extends Error {
  override readonly name = "PullTargetError";
  constructor(readonly directory: string) {
    super(`${directory} already holds an event log: pull into a new or empty directory`);
  }
}

export interface PullOptions {
  readonly natsUrl: string;
  readonly runId: string;
  /** The run directory to write: `events/` (a file log) and, with `blobs`, `blobs/`. */
  readonly outDir: string;
  /** Also copy the blobs the run's events name (renders, checkpoints); off for commands that read events only. */
  readonly blobs: boolean;
}

export interface PullResult {
  readonly events: number;
  readonly chainHead: string;
  readonly blobs: number;
}

function draftOf(event: MmzeroEvent): EventDraft {
  const { seq: _seq, ...draft } = event;
  return draft;
}

/** Every SHA-256 hex string in a payload: the candidates for blob names (checked against the store). */
function hashesIn(value: unknown, into: Set<string>): void {
  if (typeof value === "string") {
    if (sha256Pattern.test(value)) into.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) hashesIn(item, into);
  } else if (value !== null && typeof value === "object") {
    for (const item of Object.values(value)) hashesIn(item, into);
  }
}

async function holdsEvents(directory: string): Promise<boolean> {
  try {
    return (await readdir(join(directory, "events"))).length > 0;
  } catch {
    return false;
  }
}

/**
 * Copies a run stored in NATS JetStream into a run directory, so every command that reads a run
 * directory reads it: the events in order into a file log (the same events, so the same chain
 * head, asserted), and the blobs the events name. A blob's name is the SHA-256 of its bytes, so
 * the copy takes every 64-hex string of the payloads that names an object in the store.
 */
export async function pullRun(options: PullOptions): Promise<PullResult> {
  if (await holdsEvents(options.outDir)) throw new PullTargetError(options.outDir);
  const connection = await connectNats(options.natsUrl, { name: `mmzero-pull-${options.runId}` });
  try {
    await using source = await openJetStreamLog(connection, options.runId);
    const sourceHead = await source.head();
    if (sourceHead.seq === 0) throw new RunNotFoundError(options.natsUrl, options.runId);
    await using target = await openFileLog(join(options.outDir, "events"), { runId: options.runId });
    const hashes = new Set<string>();
    let batch: EventDraft[] = [];
    for await (const recorded of source.read({ to: sourceHead.seq })) {
      if (options.blobs) hashesIn(recorded.event.payload, hashes);
      batch.push(draftOf(recorded.event));
      if (batch.length >= appendBatchEvents) {
        await target.append(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await target.append(batch);
    const targetHead = await target.head();
    assert.deepEqual(targetHead, sourceHead, "pull: the copied log does not chain to the source's head");
    let blobs = 0;
    if (options.blobs) {
      await using store = await openJetStreamBlobStore(connection);
      await using copy = await openFileBlobStore(join(options.outDir, "blobs"));
      for (const hash of hashes) {
        if (!(await store.has(hash))) continue; // a content or chain hash, not a blob
        await copy.put(await store.get(hash));
        blobs += 1;
      }
    }
    return { events: targetHead.seq, chainHead: targetHead.chainHash, blobs };
  } finally {
    await connection.close();
  }
}
