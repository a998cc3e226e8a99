/**
 * The tail part of the EventLog contract. Goal: a tail delivers every event from `from` exactly once
 * and in order, whether it was appended before or during the tail, and ends cleanly on abort or
 * close. Method: consumers run concurrently with appends; tests wait on the consumers' progress
 * (deferred promises), never on timers.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { EventLog } from "../../src/store/index.ts";
import { scriptedDrafts } from "../support/events.ts";
import { collect, deferred, drainTail, range, seqsOf, takeFromTail } from "./contract-helpers.ts";

export function runTailContract(openFreshLog: () => Promise<EventLog>): void {
  test("a tail delivers the log from `from`, then appends made while tailing, once each and in order", async () => {
    await using log = await openFreshLog();
    await log.append(scriptedDrafts(log.runId, 3));
    const fromStart = takeFromTail(log, 9);
    const fromMiddle = takeFromTail(log, 7, { from: 3 });
    for (let batch = 0; batch < 3; batch++) await log.append(scriptedDrafts(log.runId, 2, 3 + 2 * batch));
    assert.deepEqual(seqsOf(await fromStart), range(1, 9));
    assert.deepEqual(seqsOf(await fromMiddle), range(3, 9));
  });

  test("a tail from beyond the head waits for the log to reach it", async () => {
    await using log = await openFreshLog();
    await log.append(scriptedDrafts(log.runId, 2));
    const ahead = takeFromTail(log, 2, { from: 5 });
    await log.append(scriptedDrafts(log.runId, 4, 2));
    assert.deepEqual(seqsOf(await ahead), [5, 6]);
  });

  test("several concurrent tails each see every event once, in order, while appends race them", async () => {
    await using log = await openFreshLog();
    const total = 24;
    const tails = [
      takeFromTail(log, total),
      takeFromTail(log, total),
      takeFromTail(log, total - 4, { from: 5 }),
    ];
    const drafts = scriptedDrafts(log.runId, total);
    await Promise.all(range(0, 5).map((batch) => log.append(drafts.slice(batch * 4, batch * 4 + 4))));
    const [first, second, third] = await Promise.all(tails);
    assert.deepEqual(seqsOf(first ?? []), range(1, total));
    assert.deepEqual(seqsOf(second ?? []), range(1, total));
    assert.deepEqual(seqsOf(third ?? []), range(5, total));
    const read = await collect(log.read());
    assert.deepEqual(
      (first ?? []).map((recorded) => recorded.chainHash),
      read.map((recorded) => recorded.chainHash),
    );
  });

  test("aborting the signal ends a waiting tail without error", async () => {
    await using log = await openFreshLog();
    await log.append(scriptedDrafts(log.runId, 2));
    const controller = new AbortController();
    const caughtUp = deferred();
    const tail = drainTail(log, { signal: controller.signal }, (seen) => {
      if (seen === 2) caughtUp.resolve();
    });
    await caughtUp.promise;
    controller.abort();
    assert.deepEqual(seqsOf(await tail), [1, 2]);
    const preAborted = new AbortController();
    preAborted.abort();
    assert.deepEqual(await drainTail(log, { signal: preAborted.signal }), []);
  });

  test("closing the log ends a waiting tail without error", async () => {
    const log = await openFreshLog();
    await log.append(scriptedDrafts(log.runId, 1));
    const caughtUp = deferred();
    const tail = drainTail(log, {}, () => caughtUp.resolve());
    await caughtUp.promise;
    await log.close();
    assert.deepEqual(seqsOf(await tail), [1]);
  });
}
