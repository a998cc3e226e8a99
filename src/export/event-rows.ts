import type { RecordedEvent } from "../store/index.ts";
import type { ExportRow } from "./row.ts";

/**
 * One row per event as stored and decoded: the envelope (seq, id, type, version, producer, causes,
 * time), the payload as decoded JSON, and the content and chain hashes that tie it to the log.
 */
export function eventRow(recorded: RecordedEvent): ExportRow {
  return {
    // Why the round trip: a decoded event is JSON by construction (the log stores it as JSON).
    ...(JSON.parse(JSON.stringify(recorded.event)) as ExportRow),
    contentHash: recorded.contentHash,
    chainHash: recorded.chainHash,
  };
}
