// Goal: the event stream's settings are checked at connect: a stream that could drop, expire or
// refuse events (limits, memory storage, rollups, a small message size, workqueue retention) is
// refused with a StreamSettingsError that names each setting, and is left unchanged; the run subject
// mapping is one-to-one and always a valid subject. Method: a real nats-server with a pre-created
// MMZERO_EVENTS stream with max_msgs; the checker applied to the server's own stored config with
// one risky setting changed at a time; fast-check over run ids.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { RetentionPolicy, StorageType, type StreamConfig } from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";
import fc from "fast-check";
import {
  connectNats,
  eventStreamName,
  eventStreamViolations,
  type JetStreamConnection,
  openJetStreamLog,
  runSubject,
  StreamSettingsError,
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

describe("event stream settings", () => {
  test("an existing stream with a max_msgs limit is refused at connect and left unchanged", async () => {
    await connection.manager.streams.add({
      name: eventStreamName,
      subjects: ["mmzero.events.>"],
      storage: StorageType.File,
      max_msgs: 1000,
    });
    await assert.rejects(openJetStreamLog(connection, "limited-run"), (error: unknown) => {
      assert(error instanceof StreamSettingsError, String(error));
      assert.equal(error.stream, eventStreamName);
      assert.deepEqual(
        error.violations.map((violation) => violation.setting),
        ["max_msgs"],
      );
      assert.match(error.message, /max_msgs = 1000, needs -1/);
      return true;
    });
    assert.equal((await connection.manager.streams.info(eventStreamName)).config.max_msgs, 1000);
    await connection.manager.streams.delete(eventStreamName);
  });

  test("the stream mmzero creates has no violations, and each risky setting is one named violation", async () => {
    await using log = await openJetStreamLog(connection, "settings-run");
    await log.head();
    const stored = (await connection.manager.streams.info(eventStreamName)).config;
    assert.deepEqual(eventStreamViolations(stored), []);
    const risky: [string, Partial<StreamConfig>][] = [
      ["retention", { retention: RetentionPolicy.Workqueue }],
      ["storage", { storage: StorageType.Memory }],
      ["max_msgs", { max_msgs: 10 }],
      ["max_bytes", { max_bytes: 1 << 20 }],
      ["max_age", { max_age: nanos(60_000) }],
      ["max_msgs_per_subject", { max_msgs_per_subject: 100 }],
      ["max_msg_size", { max_msg_size: 4096 }],
      ["allow_rollup_hdrs", { allow_rollup_hdrs: true }],
      ["sealed", { sealed: true }],
      ["no_ack", { no_ack: true }],
      ["subjects", { subjects: ["other.>"] }],
    ];
    for (const [setting, change] of risky) {
      const violations = eventStreamViolations({ ...stored, ...change });
      assert.deepEqual(
        violations.map((violation) => violation.setting),
        [setting],
      );
    }
    await connection.manager.streams.delete(eventStreamName);
  });
});

describe("run subjects", () => {
  const runId = fc.stringMatching(/^[A-Za-z0-9_.-]{1,64}$/);

  test("one subject token per run id, one-to-one, under mmzero.events", () => {
    fc.assert(
      fc.property(runId, runId, (first, second) => {
        const subject = runSubject(first);
        assert.match(subject, /^mmzero\.events\.[^.*>\s]+$/);
        assert.equal(first === second, subject === runSubject(second));
      }),
    );
  });
});
