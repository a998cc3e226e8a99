/**
 * Folds and projections. Goal: folding is ordinary left-fold arithmetic (splitting the events
 * anywhere and continuing from the first part's state gives the same result), a combined projection
 * equals its parts folded separately, and foldLog equals folding what the log reads. Method:
 * fast-check properties over event lists from a memory log.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  combineProjections,
  foldEvents,
  foldLog,
  openMemoryLog,
  type Projection,
  type RecordedEvent,
} from "../../src/store/index.ts";
import { arbitraryDraft, scriptedDrafts } from "../support/events.ts";
import { readAll } from "./contract-helpers.ts";

const runId = "fold-run";

const countByType: Projection<Readonly<Record<string, number>>> = {
  initial: {},
  apply: (state, { event }) => ({ ...state, [event.type]: (state[event.type] ?? 0) + 1 }),
};

const lastSeq: Projection<number> = { initial: 0, apply: (_state, { event }) => event.seq };

/** Order-sensitive: a fold that reorders or drops events gives another string. */
const idTrail: Projection<string> = {
  initial: "",
  apply: (state, { event }) => `${state}/${event.id.slice(0, 4)}`,
};

async function recordedEvents(count: number): Promise<RecordedEvent[]> {
  await using log = openMemoryLog(runId);
  await log.append(scriptedDrafts(runId, count));
  // Why await: the log is disposed when this function returns.
  return await readAll(log);
}

const eventsArbitrary = fc
  .array(arbitraryDraft(runId), { maxLength: 12 })
  .map((drafts) =>
    drafts.map((draft, position) => ({ ...draft, id: position.toString(16).padStart(32, "0") })),
  );

test("property: folding a split list continues from the first part's state", async () => {
  await fc.assert(
    fc.asyncProperty(eventsArbitrary, fc.nat(), async (drafts, cut) => {
      await using log = openMemoryLog(runId);
      await log.append(drafts);
      const events = await readAll(log);
      const split = cut % (events.length + 1);
      const firstPart = foldEvents(events.slice(0, split), idTrail);
      const continued = foldEvents(events.slice(split), { ...idTrail, initial: firstPart });
      assert.equal(continued, foldEvents(events, idTrail));
      assert.equal(foldEvents(events, idTrail).split("/").length - 1, events.length);
    }),
    { numRuns: 40 },
  );
});

test("a combined projection equals its parts folded one by one, in one pass", async () => {
  const events = await recordedEvents(17);
  const combined = combineProjections({ countByType, lastSeq, idTrail });
  assert.deepEqual(foldEvents(events, combined), {
    countByType: foldEvents(events, countByType),
    lastSeq: foldEvents(events, lastSeq),
    idTrail: foldEvents(events, idTrail),
  });
  assert.deepEqual(combined.initial, { countByType: {}, lastSeq: 0, idTrail: "" });
  assert.deepEqual(foldEvents(events, countByType), {
    IterationStarted: 7,
    IterationCompleted: 7,
    RunFailed: 3,
  });
});

test("foldLog folds what the log reads, over the whole log or a range", async () => {
  await using log = openMemoryLog(runId);
  await log.append(scriptedDrafts(runId, 9));
  const events = await readAll(log);
  assert.equal(await foldLog(log, idTrail), foldEvents(events, idTrail));
  assert.equal(await foldLog(log, idTrail, { from: 3, to: 6 }), foldEvents(events.slice(2, 6), idTrail));
  assert.equal(await foldLog(log, lastSeq, { from: 4 }), 9);
});
