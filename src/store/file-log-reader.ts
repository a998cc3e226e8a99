import type { FileHandle } from "node:fs/promises";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { chainGenesis, chainNext } from "../events/index.ts";
import { LogCorruptionError } from "./errors.ts";
import type { RecordedEvent } from "./event-log.ts";
import { decodeRecordBody, hasValidRecordAfter, listSegments } from "./recovery.ts";
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
 * checks seqs and recomputes the chain. A bad record at the very end of the last segment (no valid
 * record after it) is reported in `tail.value.incompleteTail`; damage anywhere else is
 * LogCorruptionError, as when the writer opens the log.
 */
export async function* readFileLogReadOnly(
  directory: string,
  tail: { value?: ReadOnlyTail } = {},
): AsyncGenerator<RecordedEvent> {
  const segments = await listSegments(directory);
  const position = { seq: 0, chainHash: chainGenesis };
  tail.value = { incompleteTail: null };
  for (const [index, segment] of segments.entries()) {
    const location = join(directory, segmentName(segment));
    const handle = await open(location, "r");
    try {
      const { size } = await handle.stat();
      for await (const items of scanRecords(handle, 0, size)) {
        const decoded: RecordedEvent[] = [];
        for (const item of items) {
          if (item.kind === "record") {
            decoded.push(nextRecorded(item.body, location, item.offset, position));
            continue;
          }
          yield* decoded;
          await assertTornEnd(handle, {
            location,
            offset: item.offset,
            reason: item.reason,
            size,
            isLast: index === segments.length - 1,
          });
          tail.value = { incompleteTail: { segment: location, offset: item.offset, reason: item.reason } };
          return;
        }
        yield* decoded;
      }
    } finally {
      await handle.close();
    }
  }
}

function nextRecorded(
  body: Uint8Array,
  location: string,
  offset: number,
  position: { seq: number; chainHash: string },
): RecordedEvent {
  const { event, contentHash } = decodeRecordBody(body, location, offset);
  position.seq += 1;
  if (event.seq !== position.seq)
    throw new LogCorruptionError(location, offset, seqMismatch(position.seq, event.seq));
  position.chainHash = chainNext(position.chainHash, contentHash);
  return { event, contentHash, chainHash: position.chainHash };
}

async function assertTornEnd(
  handle: FileHandle,
  fault: { location: string; offset: number; reason: string; size: number; isLast: boolean },
): Promise<void> {
  if (!fault.isLast || (await hasValidRecordAfter(handle, fault.offset, fault.size))) {
    throw new LogCorruptionError(
      fault.location,
      fault.offset,
      `${fault.reason}, with valid records after it`,
    );
  }
}

/** Says what a seq out of place means for the reader: events missing here, or an event out of order. */
export function seqMismatch(expected: number, found: number): string {
  if (found > expected) {
    const missing = found - expected === 1 ? `seq ${expected} is` : `seqs ${expected}..${found - 1} are`;
    return `expected seq ${expected}, found ${found}: ${missing} missing here (deleted, or moved later in the log)`;
  }
  return `expected seq ${expected}, found ${found}: seq ${found} is out of order (repeated, or moved later in the log)`;
}
