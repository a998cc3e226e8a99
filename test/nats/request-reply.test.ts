// Goal: synchronous calls over core NATS give typed errors: a refusal with its reason, a timeout, no
// responder, and a malformed request answered with a reason instead of silence.
// Method: a real nats-server; responders whose handlers refuse or never answer; a raw malformed request.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Schema } from "effect";
import {
  NoResponderError,
  RemoteRequestError,
  RequestTimeoutError,
  requestReply,
  serveRequests,
} from "../../src/bus/nats/index.ts";
import { connectNats, type JetStreamConnection } from "../../src/store/jetstream/index.ts";
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
