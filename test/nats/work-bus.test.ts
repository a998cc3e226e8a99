// Goal: the NATS work bus hands each job to one worker, redelivers a job whose worker died to
// another, keeps a long job with a live worker from being redelivered, retries a failing handler up
// to max_deliver, dead-letters malformed messages with a reason without stopping the worker, and
// gives synchronous calls typed errors. Method: a real nats-server; a worker in a child process that
// takes a job and is SIGKILLed mid-job; in-process workers whose handlers record what they saw;
// malformed messages published raw; every wait is on an event (a handled job, a child's line) with a
// test timeout, except the ack wait the server itself must let pass.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { Schema } from "effect";
import {
  defineWorkKind,
  ensureWorkStreams,
  NoResponderError,
  publishWork,
  RemoteRequestError,
  RequestTimeoutError,
  readDeadLetters,
  requestReply,
  serveRequests,
  startWorker,
  type WorkKind,
  WorkKindError,
  WorkMessageError,
  workConsumerName,
  workStreamName,
  workSubject,
} from "../../src/bus/nats/index.ts";
import { connectNats, type JetStreamConnection } from "../../src/store/jetstream/index.ts";
import { deferred } from "../store/contract-helpers.ts";
import { type NatsServer, startNatsServer } from "../support/nats-server.ts";
import { renderKind } from "./fixtures/work-kinds.ts";

let server: NatsServer;
let connection: JetStreamConnection;
let kindCount = 0;

before(async () => {
  server = await startNatsServer();
  connection = await connectNats(server.url);
  await ensureWorkStreams(connection);
});

after(async () => {
  await connection.close();
  await server.stop();
});

const JobSchema = Schema.Struct({ job: Schema.String, size: Schema.Int });
type Job = typeof JobSchema.Type;

/** A work kind no other test uses, so each test has its own durable consumer. */
function freshKind(): WorkKind<Job> {
  kindCount += 1;
  return defineWorkKind(`kind-${kindCount}`, JobSchema);
}

/** Records handled jobs and resolves once `count` have been handled. */
function recorder(count: number) {
  const handled: { job: string; delivery: number }[] = [];
  const done = deferred();
  const handle = async (job: Job, context: { deliveryCount: number }) => {
    handled.push({ job: job.job, delivery: context.deliveryCount });
    if (handled.length === count) done.resolve();
  };
  return { handled, done: done.promise, handle };
}

async function queuedCount(
  kind: WorkKind<unknown>,
  on: JetStreamConnection = connection,
): Promise<{ pending: number; ackPending: number }> {
  const info = await on.manager.consumers.info(workStreamName, workConsumerName(kind));
  return { pending: info.num_pending, ackPending: info.num_ack_pending };
}

/** Waits until every job of the kind is acknowledged (polls the consumer; bounded). */
async function untilQueueEmpty(on: JetStreamConnection, kind: WorkKind<unknown>): Promise<void> {
  for (let poll = 0; poll < 500; poll++) {
    const { pending, ackPending } = await queuedCount(kind, on);
    if (pending === 0 && ackPending === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`jobs of ${kind.name} are still queued or unacknowledged`);
}

function spawnStuckWorker(ackWaitMs: number): { child: ChildProcess; nextLine: () => Promise<string> } {
  const script = fileURLToPath(new URL("./fixtures/stuck-worker.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script, server.url, String(ackWaitMs), "5"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  assert(child.stdout !== null);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    child,
    nextLine: async () => {
      const line = await lines.next();
      assert(line.done !== true, "the worker process ended without a line");
      return line.value;
    },
  };
}

describe("work queue", () => {
  test("a job taken by a worker that is SIGKILLed mid-job is redelivered to another worker", {
    timeout: 30_000,
  }, async () => {
    const ackWaitMs = 1000;
    const { child, nextLine } = spawnStuckWorker(ackWaitMs);
    try {
      assert.equal(await nextLine(), "ready");
      await publishWork(connection, renderKind, { job: "j1", size: 224 }, { workId: "j1" });
      assert.equal(await nextLine(), "taken j1 1");
    } finally {
      child.kill("SIGKILL");
    }
    const survivor = recorder(1);
    const worker = await startWorker(connection, renderKind, survivor.handle, { ackWaitMs, maxDeliver: 5 });
    await survivor.done;
    await worker.stop();
    assert.deepEqual(survivor.handled, [{ job: "j1", delivery: 2 }]);
    assert.deepEqual(await queuedCount(renderKind), { pending: 0, ackPending: 0 });
  });

  test("competing workers handle every job exactly once and the queue empties", async () => {
    const kind = freshKind();
    const jobs = Array.from({ length: 20 }, (_, index) => `job-${index}`);
    const shared = recorder(jobs.length);
    const workers = [
      await startWorker(connection, kind, shared.handle),
      await startWorker(connection, kind, shared.handle),
    ];
    for (const job of jobs) await publishWork(connection, kind, { job, size: 1 }, { workId: job });
    await shared.done;
    // Why stop first: stop() returns once the job in hand is acknowledged.
    await Promise.all(workers.map((worker) => worker.stop()));
    assert.deepEqual(shared.handled.map((entry) => entry.job).sort(), [...jobs].sort());
    assert(shared.handled.every((entry) => entry.delivery === 1));
    assert.deepEqual(await queuedCount(kind), { pending: 0, ackPending: 0 });
  });

  test("a long job reports progress, so a second worker never gets it while the first is alive", {
    timeout: 20_000,
  }, async () => {
    const kind = freshKind();
    const ackWaitMs = 400;
    const seen: number[] = [];
    const finished = deferred();
    const slow = async (_job: Job, context: { deliveryCount: number }) => {
      seen.push(context.deliveryCount);
      await new Promise((resolve) => setTimeout(resolve, ackWaitMs * 4));
      finished.resolve();
    };
    await using _first = await startWorker(connection, kind, slow, { ackWaitMs });
    await using _second = await startWorker(connection, kind, slow, { ackWaitMs });
    await publishWork(connection, kind, { job: "long", size: 1 }, { workId: "long" });
    await finished.promise;
    assert.deepEqual(seen, [1]);
  });

  test("stopping a worker mid-job hands the job back at once to another worker", {
    timeout: 20_000,
  }, async () => {
    const kind = freshKind();
    const taken = deferred();
    const problems: string[] = [];
    const stalling = async (_job: Job, context: { signal: AbortSignal }) => {
      taken.resolve();
      await new Promise((_resolve, reject) =>
        context.signal.addEventListener("abort", () => reject(new Error("stop"))),
      );
    };
    // Why a long ack wait: only the hand-back, not a timeout, can bring the job to the second worker in time.
    const ackWaitMs = 60_000;
    const first = await startWorker(connection, kind, stalling, {
      ackWaitMs,
      onProblem: (problem) => problems.push(problem.kind),
    });
    await publishWork(connection, kind, { job: "handed", size: 1 }, { workId: "handed" });
    await taken.promise;
    await first.stop();
    const second = recorder(1);
    const worker = await startWorker(connection, kind, second.handle, { ackWaitMs });
    await second.done;
    await worker.stop();
    assert.deepEqual(problems, ["handed-back"]);
    assert.deepEqual(second.handled, [{ job: "handed", delivery: 2 }]);
  });

  test("malformed messages are dead-lettered with a reason and the worker goes on", async () => {
    const kind = freshKind();
    const good = recorder(1);
    const problems: string[] = [];
    const worker = await startWorker(connection, kind, good.handle, {
      onProblem: (problem) => problems.push(problem.kind),
    });
    const notJson = new TextEncoder().encode("{not json");
    const wrongShape = new TextEncoder().encode(JSON.stringify({ job: 7 }));
    await connection.jetstream.publish(workSubject(kind), notJson);
    await connection.jetstream.publish(workSubject(kind), wrongShape);
    await publishWork(connection, kind, { job: "fine", size: 3 }, { workId: "fine" });
    await good.done;
    await worker.stop();
    assert.deepEqual(good.handled, [{ job: "fine", delivery: 1 }]);
    const letters = await readDeadLetters(connection, kind);
    assert.deepEqual(
      letters.map((letter) => letter.data),
      [notJson, wrongShape].map((bytes) => Buffer.from(bytes)),
    );
    assert.match(letters[0]?.reason ?? "", /^malformed: not UTF-8 JSON/);
    assert.match(letters[1]?.reason ?? "", /^malformed: does not fit the schema/);
    assert.deepEqual(problems, ["dead-lettered", "dead-lettered"]);
    assert.deepEqual(await queuedCount(kind), { pending: 0, ackPending: 0 });
  });

  test("a handler that always fails is retried up to max_deliver, then dead-lettered", async () => {
    const kind = freshKind();
    const deliveries: number[] = [];
    const deadLettered = deferred();
    const failing = async (_job: Job, context: { deliveryCount: number }) => {
      deliveries.push(context.deliveryCount);
      throw new Error("renderer exploded");
    };
    await using _worker = await startWorker(connection, kind, failing, {
      maxDeliver: 3,
      retryDelayMs: 20,
      onProblem: (problem) => {
        if (problem.kind === "dead-lettered") deadLettered.resolve();
      },
    });
    await publishWork(connection, kind, { job: "doomed", size: 1 }, { workId: "doomed" });
    await deadLettered.promise;
    assert.deepEqual(deliveries, [1, 2, 3]);
    const [letter] = await readDeadLetters(connection, kind);
    assert.match(letter?.reason ?? "", /handler failed on delivery 3 of 3: Error: renderer exploded/);
    assert.equal(letter?.deliveries, 3);
  });

  test("a worker and a publisher carry on through a nats-server SIGKILL and restart", {
    timeout: 30_000,
  }, async () => {
    await using crashing = await startNatsServer();
    await using crashConnection = await connectNats(crashing.url, { reconnectDelayMinMs: 20 });
    await ensureWorkStreams(crashConnection);
    const kind = freshKind();
    const both = recorder(2);
    const worker = await startWorker(crashConnection, kind, both.handle, { pullExpiresMs: 1000 });
    await publishWork(
      crashConnection,
      kind,
      { job: "before", size: 1 },
      { workId: "before", ackTimeoutMs: 500 },
    );
    await untilQueueEmpty(crashConnection, kind);
    await crashing.kill();
    await crashing.restart();
    await publishWork(
      crashConnection,
      kind,
      { job: "after", size: 1 },
      { workId: "after", ackTimeoutMs: 500 },
    );
    await both.done;
    await worker.stop();
    assert.deepEqual(both.handled, [
      { job: "before", delivery: 1 },
      { job: "after", delivery: 1 },
    ]);
  });

  test("publishing checks the schema, dedupes by workId, and kinds must be subject tokens", async () => {
    const kind = freshKind();
    const invalid = { job: "x", size: 1.5 };
    await assert.rejects(publishWork(connection, kind, invalid, { workId: "invalid" }), WorkMessageError);
    const first = await publishWork(connection, kind, { job: "once", size: 1 }, { workId: "once" });
    const again = await publishWork(connection, kind, { job: "once", size: 1 }, { workId: "once" });
    assert.deepEqual(
      [first.duplicate, again.duplicate, again.streamSequence],
      [false, true, first.streamSequence],
    );
    for (const name of ["", "a.b", "a*", "has space", "x".repeat(65)]) {
      assert.throws(() => defineWorkKind(name, JobSchema), WorkKindError);
    }
  });
});

describe("request/reply", () => {
  const Square = {
    request: Schema.Struct({ n: Schema.Int }),
    response: Schema.Struct({ square: Schema.Int }),
  };

  test("a call returns the decoded response; refusals, timeouts and no responders are typed errors", async () => {
    const responder = serveRequests(connection, "mmzero.rpc.square", Square, async ({ n }) => {
      if (n < 0) throw new Error("negative input");
      return { square: n * n };
    });
    const stuck = serveRequests(connection, "mmzero.rpc.stuck", Square, () => new Promise(() => undefined));
    const call = (subject: string, n: number, timeoutMs = 2000) =>
      requestReply(connection, subject, Square, { n }, { timeoutMs });
    assert.deepEqual(await call("mmzero.rpc.square", 7), { square: 49 });
    await assert.rejects(call("mmzero.rpc.square", -1), (error: unknown) => {
      assert(error instanceof RemoteRequestError, String(error));
      assert.match(error.reason, /negative input/);
      return true;
    });
    await assert.rejects(call("mmzero.rpc.stuck", 1, 200), RequestTimeoutError);
    await assert.rejects(call("mmzero.rpc.nobody", 1), NoResponderError);
    const raw = await connection.nats.request("mmzero.rpc.square", new TextEncoder().encode("[1,"), {
      timeout: 2000,
    });
    assert.match(
      new TextDecoder().decode(raw.data),
      /"ok":false,"reason":"malformed request: not UTF-8 JSON/,
    );
    await responder.stop();
    await assert.rejects(call("mmzero.rpc.square", 2), NoResponderError);
    void stuck.stop();
  });
});
