import type { EventDraft } from "../../src/events/index.ts";
import { scriptedDraft } from "../support/events.ts";

/** What the crash test's writer intends to append: event `index` (0-based) lands at seq index + 1. */
export const crashRunId = "crash-run";
export const crashBatchMax = 4;
/** Why large: every fifth event spans several pages, so a kill can land inside a multi-page write. */
const largeEventBytes = 16 * 1024;

export function crashDraft(index: number): EventDraft {
  return scriptedDraft(crashRunId, index, largeEventBytes);
}
