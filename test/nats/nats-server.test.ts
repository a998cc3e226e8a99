// Goal: the nats-server test harness starts a real server on a free loopback port with a temporary
// JetStream store, restarts it on the same port and store after a stop or a SIGKILL, removes only the
// store it created, and fails loudly (never skips) with an install hint when the binary is missing.
// Method: start, connect, create a stream, kill/restart, check the stream survived; point
// NATS_SERVER_BIN at a missing file with and without CI=true.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { NatsServerMissingError, startNatsServer } from "../support/nats-server.ts";

async function canConnect(url: string): Promise<boolean> {
  try {
    const connection = await connect({ servers: url, reconnect: false, timeout: 1000 });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

async function streamNames(url: string): Promise<string[]> {
  const connection = await connect({ servers: url });
  const names = await (await jetstreamManager(connection)).streams.names().next();
  await connection.close();
  return names;
}

describe("nats-server test harness", () => {
  test("starts on a free port with a temporary store; restart keeps port and store; stop removes it", async () => {
    const server = await startNatsServer();
    assert.match(server.url, /^nats:\/\/127\.0\.0\.1:\d+$/);
    assert(server.port > 0);
    assert(existsSync(server.storeDir));
    const connection = await connect({ servers: server.url });
    await (await jetstreamManager(connection)).streams.add({ name: "KEPT", subjects: ["kept.>"] });
    await connection.close();
    await server.kill();
    assert.equal(await canConnect(server.url), false);
    await server.restart();
    assert.deepEqual(await streamNames(server.url), ["KEPT"]);
    await server.restart();
    assert.deepEqual(await streamNames(server.url), ["KEPT"]);
    await server.stop();
    await server.stop();
    assert.equal(await canConnect(server.url), false);
    assert.equal(existsSync(server.storeDir), false);
  });

  test("a store directory the caller gives is used and kept", async () => {
    const storeDir = mkdtempSync(join(tmpdir(), "mmzero-harness-"));
    try {
      const server = await startNatsServer({ storeDir });
      assert.equal(server.storeDir, storeDir);
      await server.stop();
      assert(existsSync(join(storeDir, "jetstream")));
    } finally {
      rmSync(storeDir, { recursive: true, force: true });
    }
  });

  test("a missing binary is NatsServerMissingError with an install hint, also (and said so) under CI=true", async () => {
    const saved = { bin: process.env.NATS_SERVER_BIN, ci: process.env.CI };
    try {
      process.env.NATS_SERVER_BIN = "/nonexistent/nats-server";
      for (const ci of ["false", "true"]) {
        process.env.CI = ci;
        await assert.rejects(startNatsServer(), (error: unknown) => {
          assert(error instanceof NatsServerMissingError, String(error));
          assert.match(error.message, /apt-get install nats-server/);
          assert.equal(/CI=true requires it/.test(error.message), ci === "true");
          return true;
        });
      }
    } finally {
      for (const [key, value] of [
        ["NATS_SERVER_BIN", saved.bin],
        ["CI", saved.ci],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
