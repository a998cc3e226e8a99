import type { FileHandle } from "node:fs/promises";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { chainGenesis, chainNext } from "../events/index.ts";
import { LogCorruptionError } from "./errors.ts";
import type { RecordedEvent } from "./event-log.ts";
import { checkDurableHead, readDurableHead } from "./log-head.ts";
import { assertTornTail, decodeRecordBody, listSegments } from "./recovery.ts";
import { segmentName } from "./segment-format.ts";
import { scanRecords } from "./segment-reader.ts";

/** What a read-only pass over a file log found at its end. */
export interface ReadOnlyTail {
  /** A partial record at the end of the last segment: a write in progress or a torn write. Not repaired here. */
  readonly incompleteTail: {
    readonly segment: string;
    readonly offset: number;
    readonly reason: string;
  } | null;
}

/**
 * Reads a file log without taking the writer's lock and without repairing anything, so people and
 * tools can inspect a log while a run appends to it. Checks CRCs, decodes and validates every event,
 * checks seqs, recomputes the chain and, at the end, checks the head file (a vanished segment or lost
 * acknowledged events is LogHeadLostError). An incomplete record at the very end of the last segment
 * (a write in progress, or a torn write the writer will cut off) is reported in
 * `tail.value.incompleteTail`; any other bad record is LogCorruptionError, as when the writer opens
 * the log.
 */
export async function* readFileLogReadOnly(
  directory: string,
  tail: { value?: ReadOnlyTail } = {},
): AsyncGenerator<RecordedEvent> {
  // Why before listing: the head file names only segments created before it was written.
  const durable = await readDurableHead(directory);
  const segments = await listSegments(directory);
  const position: ReadPosition = { seq: 0, chainHash: chainGenesis };
  tail.value = { incompleteTail: null };
  for (const [index, segment] of segments.entries()) {
    const location = join(directory, segmentName(segment));
    const handle = await open(location, "r");
    try {
      const { size } = await handle.stat();
      const fault = yield* readSegment(handle, { location, size }, position);
      if (fault !== null) {
        await assertTornTail(handle, { ...fault, location, size, isLast: index === segments.length - 1 });
        tail.value = { incompleteTail: { segment: location, offset: fault.offset, reason: fault.reason } };
      }
    } finally {
      await handle.close();
    }
  }
  if (durable === null) return;
  checkDurableHead(directory, durable, {
    runId: durable.runId,
    segments,
    headSeq: position.seq,
  });
}

/** Where a read is in the chain. */
interface ReadPosition {
  seq: number;
  chainHash: string;
}

/** Yields a segment's records; returns the bad record that ends it, or null. */
async function* readSegment(
  handle: FileHandle,
  segment: { readonly location: string; readonly size: number },
  position: ReadPosition,
): AsyncGenerator<RecordedEvent, { offset: number; reason: string; incomplete: boolean } | null> {
  for await (const items of scanRecords(handle, 0, segment.size)) {
    const decoded: RecordedEvent[] = [];
    for (const item of items) {
      if (item.kind === "fault") {
        yield* decoded;
        return item;
      }
      decoded.push(nextRecorded(item.body, segment.location, item.offset, position));
    }
    yield* decoded;
  }
  return null;
}

function nextRecorded(
  body: Uint8Array,
  location: string,
  offset: number,
  position: ReadPosition,
): RecordedEvent {
  const { event, contentHash } = decodeRecordBody(body, location, offset);
  position.seq += 1;
  if (event.seq !== position.seq)
    throw new LogCorruptionError(location, offset, seqMismatch(position.seq, event.seq));
  position.chainHash = chainNext(position.chainHash, contentHash);
  return { event, contentHash, chainHash: position.chainHash };
}

/** Says what a seq out of place means for the reader: events missing here, or an event out of order. */
export function seqMismatch(expected: number, found: number): string {
  if (found > expected) {
    const missing = found - expected === 1 ? `seq ${expected} is` : `seqs ${expected}..${found - 1} are`;
    return `expected seq ${expected}, found ${found}: ${missing} missing here (deleted, or moved later in the log)`;
  }
  return `expected seq ${expected}, found ${found}: seq ${found} is out of order (repeated, or moved later in the log)`;
}
