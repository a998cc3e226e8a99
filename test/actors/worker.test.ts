// Goal: worker actors serve bus requests one at a time from a bounded mailbox, report failures to
// the requester, and the memory bus rotates requests over a subject's workers (queue group).
// Method: real XState actors on the in-process bus with small async perform functions.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { hostWorker, WorkerJobError } from "../../src/actors/index.ts";
import { createMemoryBus, NoResponderError, RemoteError, RequestTimeoutError } from "../../src/bus/index.ts";

describe("worker actors on the memory bus", () => {
  test("each request gets its own reply, in mailbox order, one job at a time", async () => {
    await using bus = createMemoryBus();
    let running = 0;
    let maximumRunning = 0;
    const worker = hostWorker(bus, "double", async (request) => {
      running += 1;
      maximumRunning = Math.max(maximumRunning, running);
      await new Promise((resolve) => setTimeout(resolve, 2));
      running -= 1;
      return Number(request) * 2;
    });
    const replies = await Promise.all([1, 2, 3, 4, 5].map((value) => bus.request("double", value)));
    assert.deepEqual(replies, [2, 4, 6, 8, 10]);
    assert.equal(maximumRunning, 1);
    await worker.stop();
  });

  test("a failing job rejects its request with the worker's error and the worker goes on", async () => {
    await using bus = createMemoryBus();
    const worker = hostWorker(bus, "picky", async (request) => {
      if (request === "bad") throw new RangeError("bad input");
      return "ok";
    });
    await assert.rejects(
      bus.request("picky", "bad"),
      (error: unknown) => error instanceof RemoteError && /RangeError: bad input/.test(error.message),
    );
    assert.equal(await bus.request("picky", "good"), "ok");
    await worker.stop();
    assert.ok(new WorkerJobError("s", "X", "m") instanceof Error);
  });

  test("requests rotate over the workers of one subject", async () => {
    await using bus = createMemoryBus();
    const workers = ["a", "b"].map((name) => hostWorker(bus, "who", async () => name));
    const replies = await Promise.all(Array.from({ length: 4 }, () => bus.request("who", null)));
    assert.deepEqual([...replies].sort(), ["a", "a", "b", "b"]);
    for (const worker of workers) await worker.stop();
  });

  test("no responder and a stuck responder are typed errors", async () => {
    await using bus = createMemoryBus();
    await assert.rejects(bus.request("nobody", 1), NoResponderError);
    const worker = hostWorker(bus, "stuck", () => new Promise(() => undefined));
    await assert.rejects(bus.request("stuck", 1, { timeoutMs: 20 }), RequestTimeoutError);
    await worker.stop();
  });

  test("messages cross the bus as JSON: values that JSON cannot carry do not arrive as sent", async () => {
    await using bus = createMemoryBus();
    const worker = hostWorker(bus, "echo", async (request) => request);
    assert.deepEqual(await bus.request("echo", { a: [1, "x", null] }), { a: [1, "x", null] });
    await worker.stop();
  });
});

describe("malformed work messages", () => {
  test("are refused with the schema's reason, dead-lettered, and the actor keeps serving", async () => {
    const { hostActors, workSubjects } = await import("../../src/actors/wiring.ts");
    const { RenderService } = await import("../../src/actors/services/render-service.ts");
    const { createRenderPool } = await import("../../src/render/index.ts");
    const { openMemoryBlobStore } = await import("../../src/store/index.ts");
    await using bus = createMemoryBus();
    await using pool = createRenderPool({ workerCount: 1 });
    const actors = hostActors(bus, { render: new RenderService(pool, openMemoryBlobStore()) }, ["render"]);
    await assert.rejects(
      bus.request(workSubjects.render, { outputs: "not a list", size: 32 }),
      /malformed message/,
    );
    assert.equal(bus.deadLetters().length, 1);
    assert.equal(bus.deadLetters()[0]!.subject, workSubjects.render);
    assert.match(bus.deadLetters()[0]!.reason, /outputs/);
    const reply = await bus.request(workSubjects.render, {
      outputs: [
        '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="4" height="4"/></svg>',
      ],
      size: 32,
    });
    assert.ok(JSON.stringify(reply).includes('"kind":"ok"'), JSON.stringify(reply));
    for (const actor of actors) await actor.stop();
  });
});
