// Goal: the start-up warning says plainly what an acknowledged event means on the server: no fsync
// setting before 2.10, fsync only with sync_interval: always from 2.10, one copy with one replica, a
// quorum with three; and a real run on a real server prints it.
// Method: the pure notice for each case; `runSession` on a real nats-server (2.9.10 here) collecting
// its warnings.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { durabilityNotice } from "../../src/app/nats-durability.ts";
import { runSession } from "../../src/app/run-session.ts";
import { resolveRunConfig } from "../../src/config/presets.ts";
import { smokeOverrides, writeTestBase } from "../support/loop-fixture.ts";
import { startNatsServer } from "../support/nats-server.ts";
import { makeTempDir, type TempDir } from "../support/temp-dir.ts";

describe("what an acknowledged event means", () => {
  test("before 2.10: no fsync setting; one replica: one copy", () => {
    const notice = durabilityNotice({ serverVersion: "2.9.10", replicas: 1 });
    assert.match(notice, /2\.9\.10 has no fsync setting/);
    assert.match(notice, /not a machine crash/);
    assert.match(notice, /1 replica, so one machine's disk holds the only copy/);
  });

  test("from 2.10: fsync only with sync_interval: always; three replicas: a quorum", () => {
    const notice = durabilityNotice({ serverVersion: "2.10.22", replicas: 3 });
    assert.match(
      notice,
      /fsyncs an acknowledged event only when it runs with `jetstream \{ sync_interval: always \}`/,
    );
    assert.match(notice, /3 replicas, so an acknowledged event is on a quorum/);
  });

  describe("a run on a real server", () => {
    let workspace: TempDir;
    before(async () => {
      workspace = await makeTempDir("durability");
    });
    after(async () => {
      await workspace[Symbol.asyncDispose]();
    });

    test("warns once at start-up with the server's version and the stream's replicas", {
      timeout: 300_000,
    }, async () => {
      await using server = await startNatsServer();
      const checkpoint = await writeTestBase(workspace.path);
      const warnings: string[] = [];
      const result = await runSession({
        config: resolveRunConfig("smoke", smokeOverrides(checkpoint)),
        outDir: `${workspace.path}/run`,
        natsUrl: server.url,
        resume: false,
        progress: { unit() {}, metrics() {} },
        clock: { nowIso: () => "2026-01-01T00:00:00.000Z" },
        onWarning: (warning) => warnings.push(warning),
      });
      assert.equal(result.status, "completed", result.failure?.message);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, /nats-server \d+\.\d+\.\d+/);
      assert.match(warnings[0]!, /MMZERO_EVENTS has 1 replica/);
    });
  });
});
