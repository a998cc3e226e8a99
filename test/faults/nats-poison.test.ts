// Goal: poison messages on every work subject of a real server (a `{"foo":1}` a worker of another
// version might send, and bytes that are not JSON) are refused with a reason, dead-lettered in their
// own stream, and break nothing: no stream ever binds mmzero.work.>, and a run on that server, poisoned
// again while it runs, ends with the content hashes of a fault-free run (issue 15, defect 1: one
// malformed message used to make every later run on the server fail).
// Method: a real nats-server; a real `mmzero worker` serving every role; raw requests on each subject;
// `mmzero run --nats --local-roles none`; the server's stream list and MMZERO_DEAD read directly.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { workSubjects } from "../../src/actors/wiring.ts";
import { deadLetterStreamName, workSubjectWildcard } from "../../src/bus/nats/index.ts";
import { connectNats, type JetStreamConnection } from "../../src/store/jetstream/index.ts";
import { startNatsServer } from "../support/nats-server.ts";
import {
  endCli,
  jetStreamHashes,
  type SmokeWorkspace,
  smokeWorkspace,
  spawnCli,
  startCliWorker,
  waitFor,
} from "./support/cli-runs.ts";

const subjects = [
  workSubjects.generate("proposer"),
  workSubjects.generate("coder"),
  workSubjects.generate("solver"),
  workSubjects.update,
  workSubjects.render,
];
const encoder = new TextEncoder();
const poisons = [encoder.encode(JSON.stringify({ foo: 1 })), encoder.encode("{not json")];

/** Sends every poison to every work subject; each must be answered by a refusal, never a stream's ack. */
async function poisonEverySubject(connection: JetStreamConnection): Promise<void> {
  for (const subject of subjects) {
    for (const poison of poisons) {
      const reply = await connection.nats.request(subject, poison, { timeout: 60_000 });
      const answer = JSON.parse(new TextDecoder().decode(reply.data)) as Record<string, unknown>;
      assert.equal(answer.ok, false, `${subject}: ${JSON.stringify(answer)}`);
      assert.match(String(answer.reason), /malformed/);
    }
  }
}

async function streamsBinding(connection: JetStreamConnection, subject: string): Promise<string[]> {
  const names: string[] = [];
  for await (const name of connection.manager.streams.names(subject)) names.push(name);
  return names;
}

describe("a poison message on every work subject", () => {
  let workspace: SmokeWorkspace;
  before(async () => {
    workspace = await smokeWorkspace("faults-poison");
  });
  after(async () => {
    await workspace[Symbol.asyncDispose]();
  });

  test("refused and dead-lettered; no stream binds the work subjects; a run poisoned mid-way ends like a fault-free one", {
    timeout: 900_000,
  }, async () => {
    await using server = await startNatsServer();
    await using connection = await connectNats(server.url);
    const worker = await startCliWorker(server.url, "proposer,coder,solver,trainer,render");
    try {
      await poisonEverySubject(connection);
      assert.deepEqual(await streamsBinding(connection, workSubjectWildcard), []);

      const run = spawnCli(
        workspace.runArgs(
          "--nats",
          server.url,
          "--local-roles",
          "none",
          "--out",
          join(workspace.path, "run"),
        ),
      );
      await waitFor(
        async () => (await jetStreamHashes(server.url, workspace.runId)).length >= 8,
        "the run to progress",
      );
      await poisonEverySubject(connection);
      const finished = await run.exited;
      assert.equal(finished.code, 0, finished.output);
      assert.deepEqual(await jetStreamHashes(server.url, workspace.runId), workspace.reference);

      assert.deepEqual(await streamsBinding(connection, workSubjectWildcard), []);
      // The JSON poisons reach the actors and are dead-lettered; bytes that are not JSON are refused
      // by the request layer before any actor sees them.
      const dead = await connection.manager.streams.info(deadLetterStreamName);
      assert.equal(dead.state.messages, 2 * subjects.length);
    } finally {
      await endCli(worker);
    }
  });
});
