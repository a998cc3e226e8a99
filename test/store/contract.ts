/**
 * The EventLog adapter contract: what every adapter (memory, file, JetStream) must do, written once.
 * Goal: an adapter that passes can replace another without any caller noticing. Method: each test
 * opens a fresh log through the adapter's factory and checks one rule of the port (event-log.ts)
 * through the public API only; a model-based fast-check property then runs random append
 * sequences (new batches, retries, stale expectations, id conflicts) against a plain list.
 * Usage: `runEventLogContract("file", () => openFileLog(...))` from a *.test.ts file; each call of
 * the factory must return an empty, open log (of any run id).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { chainGenesis, chainNext, contentHash } from "../../src/events/index.ts";
import {
  AppendConflictError,
  type EventLog,
  IdConflictError,
  LogClosedError,
  type RecordedEvent,
  verifyChain,
} from "../../src/store/index.ts";
import {
  iterationStartedDraft,
  runFailedDraft,
  scriptedDrafts,
  withOtherContent,
} from "../support/events.ts";
import { assertSameEvents, atSeq, collect, range, readAll, seqsOf } from "./contract-helpers.ts";
import { runEventLogProperties } from "./contract-properties.ts";
import { runTailContract } from "./contract-tail.ts";

export interface EventLogContractOptions {
  /** Runs of the model-based property. @default 25 */
  readonly propertyRuns?: number;
}

export type OpenFreshLog = () => Promise<EventLog>;

export function runEventLogContract(
  name: string,
  openFreshLog: OpenFreshLog,
  options: EventLogContractOptions = {},
) {
  describe(`EventLog contract: ${name}`, () => {
    runAppendContract(openFreshLog);
    runIdempotencyContract(openFreshLog);
    runConcurrencyContract(openFreshLog);
    runReadContract(openFreshLog);
    runTailContract(openFreshLog);
    runCloseContract(openFreshLog);
    runEventLogProperties(openFreshLog, options.propertyRuns ?? 25);
  });
}

function runAppendContract(openFreshLog: OpenFreshLog): void {
  test("an empty log is at seq 0 with the genesis hash and reads nothing", async () => {
    await using log = await openFreshLog();
    assert.deepEqual(await log.head(), { seq: 0, chainHash: chainGenesis });
    assert.deepEqual(await readAll(log), []);
  });

  test("appends get seqs 1, 2, ... in order, and reads return exactly what was appended", async () => {
    await using log = await openFreshLog();
    const drafts = scriptedDrafts(log.runId, 7);
    const first = await log.append(drafts.slice(0, 3));
    const second = await log.append(drafts.slice(3, 4));
    const third = await log.append(drafts.slice(4));
    const appended = [...first, ...second, ...third];
    assert.deepEqual(seqsOf(appended), range(1, 7));
    assertSameEvents(
      appended.map((recorded) => recorded.event),
      drafts.map((draft, position) => atSeq(draft, position + 1)),
    );
    const read = await readAll(log);
    const hashesOf = (records: readonly RecordedEvent[]) => records.map((r) => [r.contentHash, r.chainHash]);
    assert.deepEqual(hashesOf(read), hashesOf(appended));
    assertSameEvents(
      read.map((recorded) => recorded.event),
      appended.map((recorded) => recorded.event),
    );
  });

  test("content hashes cover each event and the chain links them from the genesis hash to the head", async () => {
    await using log = await openFreshLog();
    await log.append(scriptedDrafts(log.runId, 6));
    let chain = chainGenesis;
    for (const recorded of await readAll(log)) {
      assert.equal(recorded.contentHash, contentHash(recorded.event));
      chain = chainNext(chain, recorded.contentHash);
      assert.equal(recorded.chainHash, chain);
    }
    assert.deepEqual(await log.head(), { seq: 6, chainHash: chain });
    const verified = await verifyChain(log.read());
    assert.deepEqual(verified, { ok: true, head: { seq: 6, chainHash: chain }, count: 6 });
  });

  test("an invalid draft or a draft of another run is refused and nothing of its batch is appended", async () => {
    await using log = await openFreshLog();
    await log.append([iterationStartedDraft(log.runId, 1)]);
    const invalid = { ...iterationStartedDraft(log.runId, 2), payload: { iteration: 0 } };
    await assert.rejects(log.append([iterationStartedDraft(log.runId, 3), invalid]));
    await assert.rejects(log.append([iterationStartedDraft("another-run", 4)]));
    assert.equal((await log.head()).seq, 1);
    assert.equal((await readAll(log)).length, 1);
  });

  test("an empty batch appends nothing but still checks expectedSeq", async () => {
    await using log = await openFreshLog();
    assert.deepEqual(await log.append([]), []);
    assert.deepEqual(await log.append([], { expectedSeq: 0 }), []);
    await assert.rejects(log.append([], { expectedSeq: 3 }), AppendConflictError);
    assert.equal((await log.head()).seq, 0);
  });
}

function runIdempotencyContract(openFreshLog: OpenFreshLog): void {
  test("a retried event returns its original record and appends nothing, even with another `at`", async () => {
    await using log = await openFreshLog();
    const draft = iterationStartedDraft(log.runId, 1);
    const [original] = await log.append([draft]);
    await log.append([iterationStartedDraft(log.runId, 2)]);
    const [retried] = await log.append([draft]);
    const [retriedLater] = await log.append([{ ...draft, at: "2030-12-31T23:59:59.999Z" }]);
    assert.ok(original !== undefined && retried !== undefined && retriedLater !== undefined);
    for (const again of [retried, retriedLater]) {
      assert.equal(again.event.seq, 1);
      assert.equal(again.event.at, draft.at);
      assert.equal(again.contentHash, original.contentHash);
      assert.equal(again.chainHash, original.chainHash);
    }
    assert.equal((await log.head()).seq, 2);
  });

  test("a retried batch returns the originals, skipping the expectedSeq check", async () => {
    await using log = await openFreshLog();
    const batch = scriptedDrafts(log.runId, 3);
    const original = await log.append(batch, { expectedSeq: 0 });
    await log.append(scriptedDrafts(log.runId, 2, 3));
    const retried = await log.append(batch, { expectedSeq: 0 });
    assert.deepEqual(
      retried.map((recorded) => [recorded.event.seq, recorded.contentHash, recorded.chainHash]),
      original.map((recorded) => [recorded.event.seq, recorded.contentHash, recorded.chainHash]),
    );
    assert.equal((await log.head()).seq, 5);
  });

  test("different content under an existing id is IdConflictError and appends nothing", async () => {
    await using log = await openFreshLog();
    const draft = runFailedDraft(log.runId, "a", "first message");
    await log.append([draft]);
    const error = await log.append([withOtherContent(draft)]).then(
      () => assert.fail("a conflicting append must fail"),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof IdConflictError);
    assert.equal(error.eventId, draft.id);
    assert.equal(error.seq, 1);
    const fresh = iterationStartedDraft(log.runId, 9);
    await assert.rejects(log.append([fresh, withOtherContent(draft)]), IdConflictError);
    assert.equal((await log.head()).seq, 1);
  });

  test("a batch partly in the log is AppendConflictError naming the present ids, and appends nothing", async () => {
    await using log = await openFreshLog();
    const [present, missing] = scriptedDrafts(log.runId, 2);
    assert.ok(present !== undefined && missing !== undefined);
    await log.append([present]);
    const error = await log.append([present, missing]).then(
      () => assert.fail("a partial retry must fail"),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof AppendConflictError);
    assert.deepEqual(error.presentIds, [present.id]);
    assert.equal((await log.head()).seq, 1);
  });
}

function runConcurrencyContract(openFreshLog: OpenFreshLog): void {
  test("expectedSeq: an append at the head succeeds, a stale or future one is AppendConflictError", async () => {
    await using log = await openFreshLog();
    const [first, second, third] = scriptedDrafts(log.runId, 3);
    assert.ok(first !== undefined && second !== undefined && third !== undefined);
    await log.append([first], { expectedSeq: 0 });
    const error = await log.append([second], { expectedSeq: 0 }).then(
      () => assert.fail("a stale expectedSeq must fail"),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof AppendConflictError);
    assert.deepEqual([error.expectedSeq, error.actualSeq, error.presentIds], [0, 1, []]);
    await assert.rejects(log.append([second], { expectedSeq: 2 }), AppendConflictError);
    await log.append([second], { expectedSeq: 1 });
    await log.append([third], { expectedSeq: 2 });
    assert.equal((await log.head()).seq, 3);
  });

  test("of concurrent appends at the same expectedSeq exactly one wins", async () => {
    await using log = await openFreshLog();
    const drafts = scriptedDrafts(log.runId, 4);
    const outcomes = await Promise.allSettled(drafts.map((draft) => log.append([draft], { expectedSeq: 0 })));
    assert.equal(outcomes.filter((outcome) => outcome.status === "fulfilled").length, 1);
    for (const outcome of outcomes) {
      if (outcome.status === "rejected") assert.ok(outcome.reason instanceof AppendConflictError);
    }
    assert.equal((await log.head()).seq, 1);
  });

  test("concurrent appends without expectedSeq all land, each once, in the order the log assigned", async () => {
    await using log = await openFreshLog();
    const drafts = scriptedDrafts(log.runId, 10);
    const results = await Promise.all(drafts.map((draft) => log.append([draft])));
    const seqs = results.map((result) => result[0]?.event.seq ?? 0);
    assert.deepEqual(
      [...seqs].sort((left, right) => left - right),
      range(1, 10),
    );
    const read = await readAll(log);
    for (const [position, draft] of drafts.entries())
      assert.equal(read[(seqs[position] ?? 0) - 1]?.event.id, draft.id);
  });
}

function runReadContract(openFreshLog: OpenFreshLog): void {
  test("ranged reads return exactly the seqs asked for, clamped to the head", async () => {
    await using log = await openFreshLog();
    await log.append(scriptedDrafts(log.runId, 10));
    const cases: [Parameters<EventLog["read"]>[0], number[]][] = [
      [{}, range(1, 10)],
      [{ from: 3, to: 5 }, [3, 4, 5]],
      [{ from: 8 }, [8, 9, 10]],
      [{ to: 2 }, [1, 2]],
      [{ from: 10, to: 10 }, [10]],
      [{ from: 11 }, []],
      [{ from: 5, to: 4 }, []],
      [{ to: 100 }, range(1, 10)],
      [{ to: 0 }, []],
    ];
    for (const [readRange, expected] of cases) {
      assert.deepEqual(seqsOf(await collect(log.read(readRange))), expected, JSON.stringify(readRange));
    }
  });

  test("a read ends at the head as it was when the read started", async () => {
    await using log = await openFreshLog();
    await log.append(scriptedDrafts(log.runId, 3));
    const seen: number[] = [];
    for await (const recorded of log.read()) {
      seen.push(recorded.event.seq);
      if (recorded.event.seq === 1) await log.append(scriptedDrafts(log.runId, 2, 3));
    }
    assert.deepEqual(seen, [1, 2, 3]);
    assert.equal((await log.head()).seq, 5);
  });
}

function runCloseContract(openFreshLog: OpenFreshLog): void {
  test("after close every operation is LogClosedError; close is idempotent", async () => {
    const log = await openFreshLog();
    await log.append(scriptedDrafts(log.runId, 2));
    await log.close();
    await log.close();
    await assert.rejects(log.head(), LogClosedError);
    await assert.rejects(log.append(scriptedDrafts(log.runId, 1, 2)), LogClosedError);
    await assert.rejects(collect(log.read()), LogClosedError);
    await assert.rejects(collect(log.tail()), LogClosedError);
  });

  test("appends issued before close complete, and asyncDispose closes", async () => {
    const log = await openFreshLog();
    const pending = log.append(scriptedDrafts(log.runId, 3));
    const closed = log.close();
    assert.deepEqual(seqsOf(await pending), [1, 2, 3]);
    await closed;
    await assert.rejects(log.head(), LogClosedError);
    const disposed = await openFreshLog();
    await disposed[Symbol.asyncDispose]();
    await assert.rejects(disposed.head(), LogClosedError);
  });
}
