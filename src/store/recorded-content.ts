import { contentHash, hasLegacyVersions } from "../events/index.ts";
import type { RecordedEvent } from "./event-log.ts";

/**
 * Whether an event made now (given by its content hash) is the recorded one. The recorded hash
 * covers the stored bytes; an event stored in an older version of its type (a log recorded before a
 * version change) is compared in its upcast, current shape instead. A resumed unit and a verifying
 * replay both ask this, so such a log still resumes and verifies: what the upcaster drops (derived
 * values) is not compared, everything it keeps is.
 */
export function matchesRecorded(candidateHash: string, recorded: RecordedEvent): boolean {
  if (candidateHash === recorded.contentHash) return true;
  return hasLegacyVersions(recorded.event.type) && candidateHash === contentHash(recorded.event);
}
