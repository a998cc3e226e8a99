// Goal: a batch (one unit's events) is published pipelined and still lands as a gap-free prefix, in
// order: the server stores each event only directly after the one before it, so a lost publish
// stores nothing after it, a process that dies mid-batch leaves a prefix that a reopened log reads
// with a valid chain and extends, and other runs' messages coming between only slow the batch down.
// Method: one real nats-server; the adapter's JetStream client is wrapped so that chosen publishes
// are never sent (what a dropped message or a dead process leaves), and every publish's outcome is
// recorded; the log is then checked through a fresh, unwrapped adapter.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import type { JetStreamClient, JetStreamPublishOptions, PubAck } from "@nats-io/jetstream";
import { JetStreamApiCodes, JetStreamApiError } from "@nats-io/jetstream";
import type { EventDraft } from "../../src/events/index.ts";
import { AppendConflictError, verifyChain } from "../../src/store/index.ts";
import { connectNats, type JetStreamConnection, openJetStreamLog } from "../../src/store/jetstream/index.ts";
import { collect, range, seqsOf } from "../store/contract-helpers.ts";
import { scriptedDrafts } from "../support/events.ts";
import { startNatsServer } from "../support/nats-server.ts";

const server = await startNatsServer();
const connection = await connectNats(server.url);
after(async () => {
  await connection.close();
  await server.stop();
});
let runCount = 0;

function nextRunId(label: string): string {
  runCount += 1;
  return `${label}-${runCount}`;
}

/** nats-server's JSStreamWrongLastMsgIDErr (the client names only the last-sequence code). */
const wrongLastMsgIdCode = 10070;

class NeverSentError extends Error {
  override readonly name = "NeverSentError";
}

interface Outcome {
  readonly msgId: string | undefined;
  readonly result: "stored" | "duplicate" | "refused" | "never sent";
}

/**
 * The shared connection with a JetStream client whose publishes `drop` may stop (they are never
 * sent and reject with NeverSentError); every publish's outcome is recorded in order of settling.
 */
function interceptedConnection(drop: (msgId: string | undefined, publishNumber: number) => boolean) {
  const outcomes: Outcome[] = [];
  const real = connection.jetstream;
  let publishes = 0;
  const publish = async (subject: string, data: Uint8Array, options?: Partial<JetStreamPublishOptions>) => {
    publishes += 1;
    const number = publishes;
    const msgId = options?.msgID;
    if (drop(msgId, number)) {
      outcomes[number - 1] = { msgId, result: "never sent" };
      throw new NeverSentError(`publish ${number} (${msgId}) was never sent`);
    }
    let ack: PubAck;
    try {
      ack = await real.publish(subject, data, options);
    } catch (error) {
      const refused =
        error instanceof JetStreamApiError &&
        (error.code === JetStreamApiCodes.StreamWrongLastSequence || error.code === wrongLastMsgIdCode);
      outcomes[number - 1] = { msgId, result: refused ? "refused" : "never sent" };
      throw error;
    }
    outcomes[number - 1] = { msgId, result: ack.duplicate ? "duplicate" : "stored" };
    return ack;
  };
  const jetstream: JetStreamClient = Object.create(real, { publish: { value: publish } });
  const intercepted: JetStreamConnection = Object.create(connection, { jetstream: { value: jetstream } });
  return { connection: intercepted, outcomes };
}

/** The run's events as a fresh adapter reads them, the chain verified. */
async function readChecked(runId: string) {
  await using log = await openJetStreamLog(connection, runId);
  const read = await collect(log.read());
  assert.equal((await verifyChain(read)).ok, true);
  return read;
}

/** Appends the batch through a writer that dies after sending `sent` publishes: nothing more leaves it. */
async function appendAndDie(runId: string, drafts: readonly EventDraft[], sent: number): Promise<void> {
  const { connection: dying } = interceptedConnection((_msgId, publishNumber) => publishNumber > sent);
  await using log = await openJetStreamLog(dying, runId);
  await assert.rejects(log.append(drafts), NeverSentError);
}

/** The run holds exactly these drafts' events, in this order, with a valid chain. */
async function assertHolds(runId: string, drafts: readonly { readonly id: string }[]): Promise<void> {
  const read = await readChecked(runId);
  assert.deepEqual(
    read.map(({ event }) => event.id),
    drafts.map(({ id }) => id),
  );
}

describe("JetStream pipelined appends", () => {
  test("a lost publish in the middle of a batch: nothing after it is stored before it, the append completes in order", async () => {
    const runId = nextRunId("lost");
    const drafts = scriptedDrafts(runId, 12);
    const lostId = drafts[4]?.id;
    let lostOnce = false;
    const { connection: lossy, outcomes } = interceptedConnection((msgId) => {
      if (msgId !== lostId || lostOnce) return false;
      lostOnce = true;
      return true;
    });
    await using log = await openJetStreamLog(lossy, runId);
    const appended = await log.append(drafts);
    assert.deepEqual(seqsOf(appended), range(1, 12));
    // The pipeline: 1-4 stored, 5 never sent, 6-12 refused by the server (their predecessor is not the last).
    const pipelined = outcomes.slice(0, 12);
    assert.deepEqual(
      pipelined.map(({ result }) => result),
      [...Array(4).fill("stored"), "never sent", ...Array(7).fill("refused")],
    );
    await assertHolds(runId, drafts);
  });

  test("a writer that dies mid-batch leaves a gap-free prefix; a reopened log reads it and appends the rest", async () => {
    const runId = nextRunId("died");
    const drafts = scriptedDrafts(runId, 10);
    await appendAndDie(runId, drafts, 6);
    await assertHolds(runId, drafts.slice(0, 6));
    // What the recorder does on resume: the unit's events already in the log are matched by id, the
    // rest appended after them, conditional on the head it saw.
    await using resumed = await openJetStreamLog(connection, runId);
    await resumed.append(drafts.slice(6), { expectedSeq: 6 });
    await assertHolds(runId, drafts);
  });

  test("the whole batch again after a death mid-batch is a partial conflict naming the stored prefix, as in the file log", async () => {
    const runId = nextRunId("retried");
    const drafts = scriptedDrafts(runId, 8);
    await appendAndDie(runId, drafts, 3);
    await using retry = await openJetStreamLog(connection, runId);
    await assert.rejects(retry.append(drafts), (error: unknown) => {
      assert(error instanceof AppendConflictError, String(error));
      assert.deepEqual(
        error.presentIds,
        drafts.slice(0, 3).map(({ id }) => id),
      );
      return true;
    });
    await retry.append(drafts.slice(3), { expectedSeq: 3 });
    assert.deepEqual(seqsOf(await readChecked(runId)), range(1, 8));
  });

  test("batches of two runs appended at once (their messages interleave in the stream) both land whole and in order", async () => {
    const runIds = [nextRunId("interleaved"), nextRunId("interleaved")];
    const logs = await Promise.all(runIds.map((runId) => openJetStreamLog(connection, runId)));
    try {
      await Promise.all(
        logs.map(async (log) => {
          const drafts = scriptedDrafts(log.runId, 96);
          for (let first = 0; first < drafts.length; first += 24) {
            const landed = await log.append(drafts.slice(first, first + 24));
            assert.deepEqual(seqsOf(landed), range(first + 1, first + 24));
          }
        }),
      );
    } finally {
      await Promise.all(logs.map((log) => log.close()));
    }
    for (const runId of runIds) assert.deepEqual(seqsOf(await readChecked(runId)), range(1, 96));
  });
});
