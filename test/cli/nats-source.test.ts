// Goal: a run stored in NATS JetStream reads like a run directory: `mmzero pull` copies its events
// (same chain head) and the blobs they name; `log`, `export` (and the other run readers) take
// `--nats <url> --run <id>`; an unknown run or an occupied target is a clear error.
// Method: a real nats-server on a free port; a scripted run of the real loop copied into its
// JetStream log, plus one event naming a blob put into the JetStream object store; then pullRun
// in process and the real binary for `pull`, `log --hash` and `export`.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { PullTargetError, pullRun, RunNotFoundError } from "../../src/app/pull-run.ts";
import { type EventDraft, eventId, sha256Hex } from "../../src/events/index.ts";
import { openFileBlobStore, readFileLogReadOnly } from "../../src/store/index.ts";
import {
  connectNats,
  type JetStreamConnection,
  openJetStreamBlobStore,
  openJetStreamLog,
} from "../../src/store/jetstream/index.ts";
import { recordScriptedRun } from "../rescore/scripted-run.ts";
import { type NatsServer, startNatsServer } from "../support/nats-server.ts";
import { makeTempDir, type TempDir } from "../support/temp-dir.ts";

function mmzero(argumentsList: readonly string[]) {
  return spawnSync(process.execPath, ["bin/mmzero.js", ...argumentsList], {
    encoding: "utf8",
    timeout: 120_000,
    maxBuffer: 256 * 1024 * 1024,
  });
}

describe("runs stored in JetStream", () => {
  let server: NatsServer;
  let connection: JetStreamConnection;
  let workspace: TempDir;
  let runId: string;
  let head: { seq: number; chainHash: string };
  const blobBytes = new TextEncoder().encode("bytes a rejected message carried");

  before(async () => {
    server = await startNatsServer();
    connection = await connectNats(server.url);
    workspace = await makeTempDir("nats-source");
    const recorded = join(workspace.path, "recorded");
    await recordScriptedRun({ runDirectory: recorded });
    const drafts: EventDraft[] = [];
    for await (const { event } of readFileLogReadOnly(join(recorded, "events"))) {
      const { seq: _seq, ...draft } = event;
      drafts.push(draft);
    }
    runId = drafts[0]?.runId ?? "";
    await using blobs = await openJetStreamBlobStore(connection);
    const blobHash = await blobs.put(blobBytes);
    assert.equal(blobHash, sha256Hex(blobBytes));
    const producer = { role: "coordinator", version: 0 } as const;
    drafts.push({
      runId,
      id: eventId(runId, producer, "rejected/test"),
      causationId: null,
      correlationId: null,
      producer,
      at: "2026-01-01T00:00:00.000Z",
      v: 1,
      type: "EventRejected",
      payload: { source: "test", reason: "a blob to copy", bytesHash: blobHash, preview: "" },
    });
    await using log = await openJetStreamLog(connection, runId);
    for (let start = 0; start < drafts.length; start += 200)
      await log.append(drafts.slice(start, start + 200));
    head = await log.head();
  });
  after(async () => {
    await connection.close();
    await server.stop();
    await workspace[Symbol.asyncDispose]();
  });

  test("pull copies the events with the same chain head, and the blobs they name", async () => {
    const outDir = join(workspace.path, "pulled");
    const result = await pullRun({ natsUrl: server.url, runId, outDir, blobs: true });
    assert.deepEqual({ seq: result.events, chainHash: result.chainHead }, head);
    assert.equal(result.blobs, 1);
    await using copied = await openFileBlobStore(join(outDir, "blobs"));
    assert.deepEqual(await copied.get(sha256Hex(blobBytes)), blobBytes);
    await assert.rejects(
      pullRun({ natsUrl: server.url, runId, outDir, blobs: false }),
      (error) => error instanceof PullTargetError,
    );
    await assert.rejects(
      pullRun({ natsUrl: server.url, runId: "no-such-run", outDir: join(workspace.path, "x"), blobs: false }),
      (error) => error instanceof RunNotFoundError && /no events for run no-such-run/.test(error.message),
    );
  });

  test("the binary: pull, log --hash and export read the JetStream run", () => {
    const out = join(workspace.path, "pulled-by-cli");
    const pulled = mmzero(["pull", "--nats", server.url, "--run", runId, "--out", out]);
    assert.equal(pulled.status, 0, pulled.stderr);
    assert.match(pulled.stdout, new RegExp(`${head.seq} events .* 1 blobs`));
    const hash = mmzero(["log", "--nats", server.url, "--run", runId, "--hash"]);
    assert.equal(hash.status, 0, hash.stderr);
    assert.equal(hash.stdout, `${head.seq} ${head.chainHash}\n`);
    const exported = mmzero(["export", "--nats", server.url, "--run", runId, "--what", "events"]);
    assert.equal(exported.status, 0, exported.stderr);
    assert.equal(exported.stdout.trim().split("\n").length, head.seq);
    const half = mmzero(["log", "--nats", server.url, "--hash"]);
    assert.equal(half.status, 1);
    assert.match(half.stderr, /--nats and --run go together/);
  });
});
