// Goal: the JetStream EventLog adapter passes the EventLog contract and keeps its own promises:
// several writers on one run stay linear, retries beyond the server's dedupe window are recognised
// by the id index, foreign or edited messages on a run's subject are LogCorruptionError, and runs
// are isolated by subject. Method: one real nats-server per file; the contract gets a fresh
// MMZERO_EVENTS stream per log (the property needs run id "property-run"), the other tests use
// their own run ids; corruption is injected with raw JetStream publishes.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { jetstream } from "@nats-io/jetstream";
import { canonicalBytes } from "../../src/events/index.ts";
import { AppendConflictError, LogCorruptionError, verifyChain } from "../../src/store/index.ts";
import {
  connectNats,
  eventStreamName,
  type JetStreamConnection,
  openJetStreamLog,
  runSubject,
} from "../../src/store/jetstream/index.ts";
import { runEventLogContract } from "../store/contract.ts";
import { atSeq, collect, range, seqsOf } from "../store/contract-helpers.ts";
import { scriptedDrafts } from "../support/events.ts";
import { type NatsServer, startNatsServer } from "../support/nats-server.ts";

let server: NatsServer;
let connection: JetStreamConnection;
let runCount = 0;

before(async () => {
  server = await startNatsServer();
  connection = await connectNats(server.url);
});

after(async () => {
  await connection.close();
  await server.stop();
});

/** A log of a run no other test uses. */
function openRun(label: string, options = {}) {
  runCount += 1;
  return openJetStreamLog(connection, `${label}-${runCount}`, options);
}

runEventLogContract("jetstream", async () => {
  // Why delete the stream: the contract's property needs the same run id in every fresh log.
  await connection.manager.streams.delete(eventStreamName).catch(() => false);
  return openJetStreamLog(connection, "property-run");
});

describe("JetStream event log", () => {
  test("two writers on one run stay linear: a stale expectedSeq conflicts, a plain append lands after", async () => {
    await using first = await openRun("writers");
    await using second = await openJetStreamLog(connection, first.runId);
    const drafts = scriptedDrafts(first.runId, 6);
    await first.append(drafts.slice(0, 2));
    await second.append(drafts.slice(2, 4), { expectedSeq: 2 });
    await assert.rejects(first.append(drafts.slice(4, 5), { expectedSeq: 2 }), (error: unknown) => {
      assert(error instanceof AppendConflictError);
      assert.equal(error.actualSeq, 4);
      return true;
    });
    const landed = await first.append(drafts.slice(4, 6));
    assert.deepEqual(seqsOf(landed), [5, 6]);
    const read = await collect(second.read());
    assert.deepEqual(seqsOf(read), range(1, 6));
    assert.equal((await verifyChain(read)).ok, true);
    assert.deepEqual(await first.head(), await second.head());
  });

  test("a retry after the dedupe window by a writer that never saw the event returns the original", async () => {
    await using windowServer = await startNatsServer();
    await using windowConnection = await connectNats(windowServer.url);
    const options = { duplicateWindowMs: 100 };
    await using writer = await openJetStreamLog(windowConnection, "window-run", options);
    await using stale = await openJetStreamLog(windowConnection, "window-run", options);
    const [draft] = scriptedDrafts(writer.runId, 1);
    assert(draft !== undefined);
    const [original] = await writer.append([draft]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [retried] = await stale.append([{ ...draft, at: "2030-01-01T00:00:00.000Z" }]);
    assert.deepEqual(retried, original);
    assert.equal((await stale.head()).seq, 1);
    const info = await windowConnection.manager.streams.info(eventStreamName);
    assert.equal(info.state.messages, 1);
  });

  test("a message that is not a valid event of the run is LogCorruptionError on open and read", async () => {
    await using log = await openRun("corrupt");
    await log.append(scriptedDrafts(log.runId, 2));
    const client = jetstream(connection.nats);
    await client.publish(runSubject(log.runId), new TextEncoder().encode("{not json"));
    await assert.rejects(openJetStreamLog(connection, log.runId), LogCorruptionError);
    await assert.rejects(collect(log.read()), LogCorruptionError);
  });

  test("an event with the wrong seq or a missing Nats-Msg-Id is LogCorruptionError", async () => {
    for (const variant of ["wrong seq", "no msg id"] as const) {
      await using log = await openRun("edited");
      const [first, second] = scriptedDrafts(log.runId, 2);
      assert(first !== undefined && second !== undefined);
      await log.append([first]);
      const seq = variant === "wrong seq" ? 5 : 2;
      const options = variant === "no msg id" ? {} : { msgID: second.id };
      await jetstream(connection.nats).publish(
        runSubject(log.runId),
        canonicalBytes(atSeq(second, seq)),
        options,
      );
      await assert.rejects(openJetStreamLog(connection, log.runId), (error: unknown) => {
        assert(error instanceof LogCorruptionError, String(error));
        assert.match(error.reason, variant === "wrong seq" ? /expected seq 2, found 5/ : /Nats-Msg-Id/);
        return true;
      });
    }
  });

  test("runs are isolated by subject, and dotted run ids map to one subject token each", async () => {
    runCount += 1;
    await using dotted = await openJetStreamLog(connection, `a.b-${runCount}`);
    await using plain = await openJetStreamLog(connection, `a-${runCount}`);
    await dotted.append(scriptedDrafts(dotted.runId, 3));
    await plain.append(scriptedDrafts(plain.runId, 1));
    assert.equal(runSubject(dotted.runId), `mmzero.events.a~b-${runCount}`);
    assert.deepEqual(seqsOf(await collect(dotted.read())), [1, 2, 3]);
    assert.deepEqual(seqsOf(await collect(plain.read())), [1]);
  });

  test("the stream is created as an event log: file storage, no limits, no rollups, deletes denied", async () => {
    await using log = await openRun("settings");
    await log.head();
    const { config } = await connection.manager.streams.info(eventStreamName);
    assert.deepEqual(config.subjects, ["mmzero.events.>"]);
    assert.equal(config.storage, "file");
    assert.equal(config.retention, "limits");
    assert.deepEqual(
      [config.max_msgs, config.max_bytes, config.max_age, config.max_msgs_per_subject],
      [-1, -1, 0, -1],
    );
    assert.deepEqual([config.allow_rollup_hdrs, config.deny_delete, config.deny_purge], [false, true, true]);
    assert.equal(config.num_replicas, 1);
    assert(config.duplicate_window > 0);
  });
});
