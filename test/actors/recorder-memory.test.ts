// Goal: the recorder's memory is bounded by one unit, not by the log. Opening a log reads it once
// and keeps only what a resume re-derives (the first event and the events after the last unit
// marker); recording keeps nothing of what it appends.
// Method: a complete scripted run (test/rescore/scripted-run.ts) is copied, cut after many events,
// into fresh memory logs; each is opened and the recorder's held count is compared with the tail
// after the last marker and with the largest unit of the run. Then the whole run is recorded again
// through one recorder, unit by unit, and its held count stays 0.
import assert from "node:assert/strict";
import { test } from "node:test";
import { runIdOf, runLoop } from "../../src/actors/index.ts";
import { completedUnitKey } from "../../src/actors/loop/resume.ts";
import { type LogReading, RunRecorder } from "../../src/actors/recorder.ts";
import { type EventSpec, type MmzeroEvent, sha256Hex } from "../../src/events/index.ts";
import { worldRoleFormats } from "../../src/policy/index.ts";
import { resolveGrpoConfig, resolveRewardConfig } from "../../src/rewards/index.ts";
import { type EventLog, openMemoryLog } from "../../src/store/index.ts";
import { scriptedRunConfig, scriptedServices } from "../rescore/scripted-run.ts";

const config = scriptedRunConfig("release", "release");
const clock = { nowIso: () => "2026-01-01T00:00:00.000Z" };

async function completeRun(): Promise<MmzeroEvent[]> {
  const log = openMemoryLog(runIdOf(config));
  const outcome = await runLoop({
    config,
    rewards: resolveRewardConfig("release"),
    grpo: resolveGrpoConfig("release"),
    log,
    services: scriptedServices,
    formats: worldRoleFormats,
    benchmark: { items: [], hash: sha256Hex("no benchmark") },
    base: { weightHash: sha256Hex("scripted base"), checkpoint: sha256Hex("scripted base checkpoint") },
    backend: { name: "scripted", version: "0", threads: 1, simd: false },
    progress: { unit() {}, metrics() {} },
    clock,
    resume: false,
  });
  assert.equal(outcome.status, "completed");
  const events: MmzeroEvent[] = [];
  for await (const recorded of log.read()) events.push(recorded.event);
  return events;
}

const endsUnit = (event: MmzeroEvent) => completedUnitKey(event) !== null;

function reading(): LogReading & { readonly seen: number } {
  let seen = 0;
  return {
    get seen() {
      return seen;
    },
    observe() {
      seen += 1;
    },
    endsUnit,
  };
}

async function copyOf(events: readonly MmzeroEvent[]): Promise<EventLog> {
  const log = openMemoryLog(runIdOf(config));
  if (events.length > 0) await log.append(events.map(({ seq: _seq, ...draft }) => draft));
  return log;
}

/** Events after the last marker (the tail a resume re-derives). */
function tailAfterLastMarker(events: readonly MmzeroEvent[]): number {
  const last = events.findLastIndex(endsUnit);
  return events.length - 1 - last;
}

test("opening a log holds the first event and the cut unit's events, whatever the log's length", async () => {
  const events = await completeRun();
  let largestUnit = 0;
  let sinceMarker = 0;
  for (const event of events) {
    sinceMarker = endsUnit(event) ? 0 : sinceMarker + 1;
    largestUnit = Math.max(largestUnit, sinceMarker);
  }
  assert.ok(events.length > 5 * largestUnit, `${events.length} events, largest unit ${largestUnit}`);
  // Why a stride: each cut copies and reads its prefix; 23 is prime to the units' sizes, so the cuts
  // fall at every place in a unit (on its marker, just after, inside).
  const cuts = [0, 1, 2, events.length];
  for (let cut = 3; cut < events.length; cut += 23) cuts.push(cut);
  for (const cut of cuts) {
    const prefix = events.slice(0, cut);
    const read = reading();
    const recorder = await RunRecorder.open(await copyOf(prefix), clock, read);
    assert.equal(read.seen, cut, "every event is shown to the reading once");
    assert.equal(recorder.eventsWhenOpened, cut);
    const expected = cut === 0 ? 0 : 1 + tailAfterLastMarker(prefix);
    assert.equal(recorder.heldForResume, expected, `cut after ${cut} events`);
    assert.ok(recorder.heldForResume <= 1 + largestUnit);
  }
});

test("recording a run unit by unit holds none of the events it appends", async () => {
  const events = await completeRun();
  const recorder = await RunRecorder.open(openMemoryLog(runIdOf(config)), clock, reading());
  let unit: EventSpec[] = [];
  for (const event of events) {
    // Why the cast: a spec's type and payload come from one event, which TypeScript cannot
    // correlate across the union; the log validates the event on append.
    unit.push({
      type: event.type,
      producer: event.producer,
      logicalKey: `copy/${event.id}`,
      payload: event.payload,
    } as EventSpec);
    if (!endsUnit(event)) continue;
    await recorder.record(unit);
    unit = [];
    assert.equal(recorder.heldForResume, 0);
  }
  assert.equal((await recorder.log.head()).seq, events.length);
});
