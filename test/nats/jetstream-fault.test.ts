// Goal: a nats-server crash in the middle of a run loses and duplicates nothing: the client
// reconnects, in-flight appends are retried by event id and land once, a live tail resumes where it
// was, and the chain verifies. Method: a real nats-server is SIGKILLed while appends are in flight
// (triggered from inside the append loop), kept down briefly so publishes time out and reconnects
// fail, restarted on the same port and store directory; then the log is read back through a new
// connection and compared with the scripted drafts.
import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { verifyChain } from "../../src/store/index.ts";
import { connectNats, eventStreamName, openJetStreamLog } from "../../src/store/jetstream/index.ts";
import { collect, range, seqsOf } from "../store/contract-helpers.ts";
import { scriptedDrafts } from "../support/events.ts";
import { type NatsServer, startNatsServer } from "../support/nats-server.ts";

/** Why: long enough for in-flight publishes to time out and reconnect attempts to fail. */
const downtimeMs = 400;
const connectOptions = { reconnectDelayMinMs: 20, reconnectDelayMaxMs: 200 };
const logOptions = { publishAckTimeoutMs: 300, retryDeadlineMs: 20_000, replayPullExpiresMs: 1000 };

async function crashAndRestart(server: NatsServer): Promise<void> {
  await server.kill();
  await sleep(downtimeMs);
  await server.restart();
}

test("SIGKILL of nats-server mid-appends: reconnect, appends resume, nothing lost or duplicated", async () => {
  await using server = await startNatsServer();
  await using connection = await connectNats(server.url, connectOptions);
  await using log = await openJetStreamLog(connection, "fault-run", logOptions);
  const total = 160;
  const batch = 2;
  const drafts = scriptedDrafts(log.runId, total);
  let crash: Promise<void> | undefined;
  for (let first = 0; first < total; first += batch) {
    if (first === 60) crash = crashAndRestart(server);
    const appended = await log.append(drafts.slice(first, first + batch));
    assert.deepEqual(seqsOf(appended), range(first + 1, first + batch));
  }
  await crash;
  assert(connection.reconnects >= 1, "the client reconnected");

  await using reader = await connectNats(server.url);
  await using fresh = await openJetStreamLog(reader, log.runId);
  const read = await collect(fresh.read());
  assert.deepEqual(
    read.map((recorded) => recorded.event.id),
    drafts.map((draft) => draft.id),
  );
  assert.equal((await verifyChain(read)).ok, true);
  assert.equal((await reader.manager.streams.info(eventStreamName)).state.messages, total);

  // A producer resuming after the crash re-sends what it is unsure of: every retry is recognised.
  for (let first = 0; first < total; first += 40) {
    const retried = await log.append(drafts.slice(first, first + 40));
    assert.deepEqual(seqsOf(retried), range(first + 1, first + 40));
  }
  assert.deepEqual(await log.head(), await fresh.head());
  assert.equal((await log.head()).seq, total);
});

test("SIGKILL of nats-server while a tail follows the log: the tail resumes and sees each event once", async () => {
  await using server = await startNatsServer();
  await using connection = await connectNats(server.url, connectOptions);
  await using log = await openJetStreamLog(connection, "tail-fault-run", logOptions);
  const total = 80;
  const drafts = scriptedDrafts(log.runId, total);
  const tailed = (async () => {
    const seen: number[] = [];
    for await (const recorded of log.tail()) {
      seen.push(recorded.event.seq);
      if (seen.length === total) break;
    }
    return seen;
  })();
  let crash: Promise<void> | undefined;
  for (let first = 0; first < total; first++) {
    if (first === 30) crash = crashAndRestart(server);
    await log.append(drafts.slice(first, first + 1));
  }
  await crash;
  assert.deepEqual(await tailed, range(1, total));
});
