// Goal: connecting fails fast and clearly: an unreachable server is NatsUnreachableError naming the
// URL within a few seconds, a server older than 2.9.10 is NatsServerVersionError, one without
// JetStream is JetStreamDisabledError; version comparison follows semver order. Method: a closed
// loopback port; a fake server speaking just enough of the NATS protocol (INFO, PONG) to announce a
// chosen version; fast-check laws for the pure version functions.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  connectNats,
  isVersionAtLeast,
  JetStreamDisabledError,
  NatsServerVersionError,
  NatsUnreachableError,
  natsServerVersionMin,
  parseServerVersion,
} from "../../src/store/jetstream/index.ts";
import { startNatsServer } from "../support/nats-server.ts";

/** Why: "fast" for a CLI user; a refused loopback connection takes milliseconds. */
const unreachableWithinMs = 3000;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  assert(address !== null && typeof address === "object");
  return address.port;
}

/** A loopback port with nothing listening: bound once by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A fake nats-server that announces `info` and answers pings, enough for the client to connect. */
async function fakeNatsServer(
  info: Record<string, unknown>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((socket) => {
    socket.write(
      `INFO ${JSON.stringify({ server_id: "fake", proto: 1, headers: true, max_payload: 1 << 20, ...info })}\r\n`,
    );
    socket.on("data", (chunk) => {
      if (chunk.toString("utf8").includes("PING")) socket.write("PONG\r\n");
    });
    socket.on("error", () => undefined);
  });
  const port = await listen(server);
  return {
    url: `nats://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.unref();
      }),
  };
}

describe("connectNats", () => {
  test("an unreachable server is NatsUnreachableError naming the URL and the fix, within seconds", async () => {
    const url = `nats://127.0.0.1:${await closedPort()}`;
    const startedMs = performance.now();
    await assert.rejects(connectNats(url), (error: unknown) => {
      assert(error instanceof NatsUnreachableError, String(error));
      assert.equal(error.url, url);
      assert.match(error.message, new RegExp(url.replaceAll(".", "\\.")));
      assert.match(error.message, /nats-server -js/);
      return true;
    });
    assert(performance.now() - startedMs < unreachableWithinMs);
  });

  test("a server older than 2.9.10 is NatsServerVersionError; one without JetStream is JetStreamDisabledError", async () => {
    const old = await fakeNatsServer({ version: "2.8.4", jetstream: true });
    await assert.rejects(connectNats(old.url), (error: unknown) => {
      assert(error instanceof NatsServerVersionError, String(error));
      assert.deepEqual([error.version, error.minimumVersion], ["2.8.4", natsServerVersionMin]);
      return true;
    });
    await old.close();
    const noJetStream = await fakeNatsServer({ version: "2.10.1", jetstream: false });
    await assert.rejects(connectNats(noJetStream.url), JetStreamDisabledError);
    await noJetStream.close();
  });

  test("a real server connects, reports its version and drains on close", async () => {
    await using server = await startNatsServer();
    const connection = await connectNats(server.url);
    assert(isVersionAtLeast(connection.serverVersion, natsServerVersionMin));
    await connection.close();
    await connection.close();
    assert.equal(connection.nats.isClosed(), true);
  });
});

describe("server versions", () => {
  const triple = fc.tuple(fc.nat(30), fc.nat(30), fc.nat(30));
  const text = ([major, minor, patch]: readonly number[]) => `${major}.${minor}.${patch}`;

  test("parse reads major.minor.patch with an optional v and suffix, and nothing else", () => {
    assert.deepEqual(parseServerVersion("2.9.10"), [2, 9, 10]);
    assert.deepEqual(parseServerVersion("v2.10.0-beta.3"), [2, 10, 0]);
    for (const bad of ["", "2.9", "2.9.x", "latest", "2.9.10.1"])
      assert.equal(parseServerVersion(bad), undefined);
    fc.assert(fc.property(triple, (version) => assert.deepEqual(parseServerVersion(text(version)), version)));
  });

  test("isVersionAtLeast is the lexicographic order of (major, minor, patch)", () => {
    fc.assert(
      fc.property(triple, triple, (a, b) => {
        const lexicographic = a[0] !== b[0] ? a[0] > b[0] : a[1] !== b[1] ? a[1] > b[1] : a[2] >= b[2];
        assert.equal(isVersionAtLeast(text(a), text(b)), lexicographic);
      }),
    );
    assert.equal(isVersionAtLeast("2.9.9", "2.9.10"), false);
    assert.equal(isVersionAtLeast("2.10.0", "2.9.10"), true);
    assert.equal(isVersionAtLeast("unknown", "2.9.10"), false);
  });
});
