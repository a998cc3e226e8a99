// Goal: the run table's laws: queued runs start in sequence order whatever the admission order,
// only confirmed runs start, the queue never exceeds its bound (and a refusal changes nothing),
// queue positions agree with the start order, and cancelled runs never start.
// Method: fast-check (seeded) over admission sequences of distinct runs, some restored first.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { resolveRunConfig } from "../../src/config/index.ts";
import { QueueFullError, type RunEntry, RunTable } from "../../src/daemon/index.ts";

const config = resolveRunConfig("smoke");
const seed = 8_2026;

function entry(runId: string, sequence: number) {
  return { runId, preset: "smoke", sequence, config };
}

function restored(runId: string, sequence: number): RunEntry {
  return { ...entry(runId, sequence), status: "queued", events: 3, failure: null };
}

function drain(table: RunTable): string[] {
  const order: string[] = [];
  for (let next = table.takeNext(); next !== undefined; next = table.takeNext()) {
    order.push(next.runId);
    table.finish(next.runId, { status: "completed", events: 1, failure: null });
  }
  return order;
}

describe("RunTable", () => {
  test("restored and admitted runs start in sequence order", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 8 }),
        (restoredCount, admittedCount) => {
          const table = new RunTable(restoredCount + admittedCount + 1);
          // Restored runs arrive in any order (directory listing order); their sequences are what count.
          for (const sequence of Array.from({ length: restoredCount }, (_, index) => restoredCount - index))
            table.restore(restored(`restored-${sequence}`, sequence));
          const admitted: string[] = [];
          for (let index = 0; index < admittedCount; index++) {
            const runId = `new-${index}`;
            table.admit(entry(runId, table.nextSequence()));
            table.confirm(runId);
            admitted.push(runId);
          }
          const expected = [
            ...Array.from({ length: restoredCount }, (_, index) => `restored-${index + 1}`),
            ...admitted,
          ];
          const positions = expected.map((runId) => table.positionOf(runId));
          assert.deepEqual(
            positions,
            expected.map((_, index) => index + 1),
          );
          assert.deepEqual(drain(table), expected);
        },
      ),
      { seed, numRuns: 60 },
    );
  });

  test("cancelled runs never start and free their queue place; the others keep their order", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 10 }), (cancelled) => {
        const table = new RunTable(cancelled.length);
        const ids = cancelled.map((_, index) => `run-${index}`);
        for (const runId of ids) {
          table.admit(entry(runId, table.nextSequence()));
          table.confirm(runId);
        }
        ids.forEach((runId, index) => {
          if (cancelled[index]) table.cancel(runId);
        });
        const kept = ids.filter((_, index) => !cancelled[index]);
        assert.equal(table.waitingCount(), kept.length);
        assert.deepEqual(
          kept.map((runId) => table.positionOf(runId)),
          kept.map((_, index) => index + 1),
        );
        assert.deepEqual(drain(table), kept);
        for (const [index, runId] of ids.entries())
          assert.equal(table.get(runId)?.status, cancelled[index] ? "cancelled" : "completed");
      }),
      { seed, numRuns: 60 },
    );
  });

  test("an unconfirmed run never starts; a withdrawn one is forgotten", () => {
    const table = new RunTable(4);
    table.admit(entry("a", table.nextSequence()));
    table.admit(entry("b", table.nextSequence()));
    table.confirm("b");
    assert.equal(table.takeNext()?.runId, "b", "a waits for its submission to be written");
    assert.equal(table.takeNext(), undefined);
    table.withdraw("a");
    assert.equal(table.get("a"), undefined);
    assert.equal(table.waitingCount(), 0);
  });

  test("the queue bound holds, a refusal changes nothing, and starting a run makes room", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 12 }), (queueMax, attempts) => {
        const table = new RunTable(queueMax);
        let refused = 0;
        for (let index = 0; index < attempts; index++) {
          const before = table.list().length;
          try {
            table.admit(entry(`run-${index}`, table.nextSequence()));
            table.confirm(`run-${index}`);
          } catch (error) {
            assert.ok(error instanceof QueueFullError);
            assert.match(error.message, new RegExp(`--queue-max ${queueMax}`));
            assert.equal(table.list().length, before);
            refused += 1;
          }
          assert.ok(table.waitingCount() <= queueMax);
        }
        assert.equal(refused, Math.max(0, attempts - queueMax));
        if (attempts >= queueMax) {
          table.takeNext();
          table.admit(entry("after", table.nextSequence()));
          assert.equal(table.waitingCount(), queueMax);
        }
      }),
      { seed, numRuns: 60 },
    );
  });
});
