// Goal: on a real server, a malformed work request is dead-lettered on its own subject in its own
// stream and the subject keeps working: no stream ever binds the work subjects (issue 15, defect 1,
// where dead-lettering created a work-queue stream on mmzero.work.> that answered every later request
// with a publish ack). A server where such a stream exists is refused with a clear error.
// Method: a real nats-server; the Trainer actor hosted on the NATS bus (a malformed update never
// reaches the model); raw malformed requests; the server's stream list and the MMZERO_DEAD contents.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { RetentionPolicy, StorageType } from "@nats-io/jetstream";
import { ModelService } from "../../src/actors/services/model-service.ts";
import { hostActors, workSubjects } from "../../src/actors/wiring.ts";
import { RemoteError } from "../../src/bus/bus.ts";
import {
  deadLetterReasonHeader,
  deadLetterStreamName,
  deadLetterSubject,
  deadLetterSubjectHeader,
  WorkSubjectsCapturedError,
  workSubjectWildcard,
} from "../../src/bus/nats/index.ts";
import { openNatsBus } from "../../src/bus/nats-bus.ts";
import { worldTextCodec } from "../../src/policy/index.ts";
import {
  connectNats,
  type JetStreamConnection,
  openJetStreamBlobStore,
} from "../../src/store/jetstream/index.ts";
import { type NatsServer, startNatsServer } from "../support/nats-server.ts";

let server: NatsServer;
let connection: JetStreamConnection;

before(async () => {
  server = await startNatsServer();
  connection = await connectNats(server.url);
});

after(async () => {
  await connection.close();
  await server.stop();
});

async function streamsBinding(subject: string): Promise<string[]> {
  const names: string[] = [];
  for await (const name of connection.manager.streams.names(subject)) names.push(name);
  return names;
}

describe("dead letters on the NATS bus", () => {
  test("a malformed request is dead-lettered on mmzero.dead.*; the work subject still answers requests", async () => {
    const blobs = await openJetStreamBlobStore(connection);
    const model = new ModelService(blobs, worldTextCodec());
    const serving = await openNatsBus(connection);
    const actors = hostActors(serving, { model }, ["trainer"]);
    const caller = await openNatsBus(connection);
    try {
      const poison = { foo: 1 };
      for (let attempt = 0; attempt < 3; attempt++) {
        // Every attempt must be refused by the actor itself (a RemoteError naming the schema), never
        // answered by a stream's publish acknowledgement (a MalformedReplyError).
        await assert.rejects(caller.request(workSubjects.update, poison, { timeoutMs: 20_000 }), (error) => {
          assert.ok(error instanceof RemoteError, String(error));
          assert.match(error.message, /malformed message/);
          return true;
        });
      }
      assert.deepEqual(await streamsBinding(workSubjectWildcard), []);
      assert.deepEqual(await streamsBinding("mmzero.dead.>"), [deadLetterStreamName]);
      const stored = await connection.manager.streams.getMessage(deadLetterStreamName, {
        last_by_subj: deadLetterSubject(workSubjects.update),
      });
      assert.ok(stored !== null);
      assert.deepEqual(stored.json(), poison);
      assert.equal(stored.header.get(deadLetterSubjectHeader), workSubjects.update);
      assert.match(stored.header.get(deadLetterReasonHeader), /\S/);
      const info = await connection.manager.streams.info(deadLetterStreamName);
      assert.equal(info.state.messages, 3);
      assert.equal(serving.deadLetters().length, 3);
    } finally {
      for (const actor of actors) await actor.stop();
      await caller.close();
      await serving.close();
      await model.close();
      await blobs.close();
    }
  });

  test("a server where a stream binds the work subjects is refused, naming the stream", async () => {
    await using captured = await startNatsServer();
    await using capturedConnection = await connectNats(captured.url);
    await capturedConnection.manager.streams.add({
      name: "MMZERO_WORK",
      subjects: [workSubjectWildcard],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
    });
    await assert.rejects(openNatsBus(capturedConnection), (error) => {
      assert.ok(error instanceof WorkSubjectsCapturedError, String(error));
      assert.deepEqual(error.streams, ["MMZERO_WORK"]);
      assert.match(error.message, /nats stream rm MMZERO_WORK/);
      return true;
    });
  });
});
