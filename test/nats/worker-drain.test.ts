// Goal: a `mmzero worker` that takes SIGTERM drains and exits: cleanly while its server is up, and
// with a clear message (no reconnecting forever) once the server is gone.
// Method: real `mmzero worker` child processes (render role: no model to load) against a real
// nats-server on loopback; the server is killed before SIGTERM; exit codes and stderr asserted.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, test } from "node:test";
import { startNatsServer } from "../support/nats-server.ts";

const cli = join(import.meta.dirname, "../../bin/mmzero.js");

/** A worker child: resolves `serving` once it serves, `exited` with its code and stderr. */
function spawnWorker(url: string) {
  const child = spawn(process.execPath, [cli, "worker", "--roles", "render", "--nats", url], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  const serving = new Promise<void>((resolve, reject) => {
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes("serving")) resolve();
    });
    child.on("exit", () => reject(new Error(`worker exited before serving:\n${stderr}`)));
  });
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on("exit", (code) => resolve({ code, stderr })),
  );
  return { child, serving, exited };
}

// Generous: only a worker that never exits (the bug this guards against) comes near it.
const exitWaitMs = 120_000;

describe("mmzero worker drain", { timeout: exitWaitMs }, () => {
  test("SIGTERM with the server up: the worker drains and exits 0", async () => {
    await using server = await startNatsServer();
    const worker = spawnWorker(server.url);
    await worker.serving;
    worker.child.kill("SIGTERM");
    const { code, stderr } = await worker.exited;
    assert.equal(code, 0, stderr);
    assert.match(stderr, /SIGTERM, draining/);
    assert.match(stderr, /mmzero worker: stopped/);
  });

  test("server killed, then SIGTERM: the worker stops reconnecting and exits 1 saying why", async () => {
    const server = await startNatsServer();
    const worker = spawnWorker(server.url);
    try {
      await worker.serving;
      await server.kill();
      worker.child.kill("SIGTERM");
      const { code, stderr } = await worker.exited;
      assert.equal(code, 1, stderr);
      assert.match(stderr, new RegExp(`the NATS server at ${server.url} is unreachable`));
      assert.match(stderr, /stopped without finishing the requests in hand/);
    } finally {
      worker.child.kill("SIGKILL");
      await server.stop();
    }
  });
});
