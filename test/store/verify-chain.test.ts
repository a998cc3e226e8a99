/**
 * verifyChain. Goal: an untouched log verifies with its head; any edit (content, chain link, order,
 * a gap) is reported at the first seq it affects, with what was expected and what is recorded.
 * Method: read a log, tamper with one recorded event, verify; a fast-check property picks the place.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { chainGenesis, contentHash } from "../../src/events/index.ts";
import { openMemoryLog, type RecordedEvent, verifyChain } from "../../src/store/index.ts";
import { scriptedDrafts } from "../support/events.ts";
import { readAll } from "./contract-helpers.ts";

const runId = "chain-run";
const eventCount = 12;

async function recordedLog(): Promise<RecordedEvent[]> {
  await using log = openMemoryLog(runId);
  await log.append(scriptedDrafts(runId, eventCount));
  // Why await: the log is disposed when this function returns.
  return await readAll(log);
}

function replaced(
  events: readonly RecordedEvent[],
  index: number,
  edit: (recorded: RecordedEvent) => RecordedEvent,
) {
  return events.map((recorded, position) => (position === index ? edit(recorded) : recorded));
}

test("an untouched log verifies, reporting its head and count; an empty one verifies at genesis", async () => {
  const events = await recordedLog();
  const last = events.at(-1);
  assert.ok(last !== undefined);
  assert.deepEqual(await verifyChain(events), {
    ok: true,
    head: { seq: eventCount, chainHash: last.chainHash },
    count: eventCount,
  });
  assert.deepEqual(await verifyChain([]), { ok: true, head: { seq: 0, chainHash: chainGenesis }, count: 0 });
});

test("a range verifies from the head before it", async () => {
  const events = await recordedLog();
  const before = events[4];
  assert.ok(before !== undefined);
  const verified = await verifyChain(events.slice(5), { after: { seq: 5, chainHash: before.chainHash } });
  assert.deepEqual(verified, {
    ok: true,
    head: { seq: eventCount, chainHash: events.at(-1)?.chainHash },
    count: 7,
  });
  const unanchored = await verifyChain(events.slice(5));
  assert.equal(unanchored.ok, false);
});

test("property: one edited event is reported at its seq, as the right kind of mismatch", async () => {
  const events = await recordedLog();
  const edits = {
    content: (recorded: RecordedEvent): RecordedEvent => ({
      ...recorded,
      event: { ...recorded.event, producer: { role: "runtime", version: 3 } },
    }),
    chain: (recorded: RecordedEvent): RecordedEvent => ({ ...recorded, chainHash: "f".repeat(64) }),
    relinked: (recorded: RecordedEvent): RecordedEvent => ({ ...recorded, contentHash: "e".repeat(64) }),
  };
  await fc.assert(
    fc.asyncProperty(
      fc.nat({ max: eventCount - 1 }),
      fc.constantFrom("content", "chain", "relinked"),
      async (index, kind) => {
        const tampered = replaced(events, index, edits[kind]);
        const result = await verifyChain(tampered);
        assert.equal(result.ok, false);
        if (result.ok) return;
        assert.equal(result.seq, index + 1);
        const expectedField = kind === "chain" ? "chainHash" : "contentHash";
        assert.equal(result.field, expectedField);
        const original = events[index];
        assert.ok(original !== undefined);
        if (kind === "content") {
          assert.deepEqual(
            [result.expected, result.actual],
            [contentHash(tampered[index]?.event ?? original.event), original.contentHash],
          );
        }
      },
    ),
    { numRuns: 60 },
  );
});

test("a gap or a swap is a seq mismatch at the first place the order breaks", async () => {
  const events = await recordedLog();
  const withGap = [...events.slice(0, 3), ...events.slice(4)];
  assert.deepEqual(await verifyChain(withGap), {
    ok: false,
    seq: 4,
    field: "seq",
    expected: "4",
    actual: "5",
  });
  const swapped = [...events.slice(0, 6), ...events.slice(6, 8).reverse(), ...events.slice(8)];
  assert.deepEqual(await verifyChain(swapped), {
    ok: false,
    seq: 7,
    field: "seq",
    expected: "7",
    actual: "8",
  });
});
