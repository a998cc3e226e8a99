// Goal (issue 15, defect 2): `mmzero daemon` fed hostile submissions reads no file outside the
// directories its operator allows, never reads a device, FIFO, oversized or wrongly typed file,
// never quotes a file's content over HTTP, persists nothing it refused, answers prototype keys and
// deep nesting with a 400 (no 500, no temporary file), and a persisted hostile submission (from an
// older daemon) fails its run with a refusal instead of reading the file.
// Method: one real daemon process on a free port with --read-dir set to a temporary workspace (and
// the project's bench/data), hostile files made in that workspace (a symlink out, a FIFO, a sparse
// 300 MiB file, a text file posing as a checkpoint), submissions over HTTP; the runs directory is
// checked for files afterwards.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, readdir, symlink, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Schema } from "effect";
import { runIdOf } from "../../src/actors/runtime.ts";
import { resolveRunConfig } from "../../src/config/presets.ts";
import { RefusalReply, RunListReply, RunStatusReply, submissionFileName } from "../../src/daemon/index.ts";
import {
  type DaemonProcess,
  postJson,
  readDirFlags,
  request,
  startDaemon,
  until,
} from "../daemon/daemon-process.ts";
import { smokeOverrides, writeTestBase } from "../support/loop-fixture.ts";
import { makeTempDir, type TempDir } from "../support/temp-dir.ts";

/** Every file under `directory`, relative to it. */
async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => !entry.isDirectory()).map((entry) => join(entry.parentPath, entry.name));
}

/** A `{"__proto__": {"__proto__": ... 1}}` chain (or any key) `depth` levels deep, as JSON text. */
function chain(key: string, depth: number): string {
  return `${`{"${key}":`.repeat(depth)}1${"}".repeat(depth)}`;
}

describe("mmzero daemon: hostile submissions (real process)", () => {
  let workspace: TempDir;
  let runsDirectory: string;
  let daemon: DaemonProcess;
  let overrides: ReturnType<typeof smokeOverrides>;

  before(async () => {
    workspace = await makeTempDir("faults-daemon");
    runsDirectory = join(workspace.path, "runs");
    const inputs = join(workspace.path, "inputs");
    await mkdir(inputs);
    overrides = smokeOverrides(await writeTestBase(inputs));
    await symlink("/etc/passwd", join(inputs, "escape.jsonl"));
    await symlink("/dev/zero", join(inputs, "zero.ckpt"));
    execFileSync("mkfifo", [join(inputs, "fifo.jsonl")]);
    await writeFile(join(inputs, "huge.ckpt"), "MMZC");
    await truncate(join(inputs, "huge.ckpt"), 300 * 1024 * 1024);
    await writeFile(join(inputs, "secret.ckpt"), "SECRET-CONTENT-4f1e: not a checkpoint\n");
    await writeFile(join(inputs, "secret.jsonl"), "SECRET-CONTENT-4f1e\n");
    daemon = await startDaemon(["--runs-dir", runsDirectory, ...readDirFlags(inputs)]);
  });
  after(async () => {
    await daemon[Symbol.asyncDispose]();
    await workspace[Symbol.asyncDispose]();
  });

  async function refused(config: unknown, reason: RegExp, label: string): Promise<void> {
    const reply = await postJson(`${daemon.url}/runs`, { preset: "smoke", config });
    assert.equal(reply.status, 400, `${label}: ${reply.text}`);
    const refusal = Schema.decodeUnknownSync(RefusalReply)(reply.json());
    assert.match(refusal.reason, reason, label);
    assert.doesNotMatch(reply.text, /root:|SECRET-CONTENT/, `${label}: no file content in the reply`);
  }

  test("paths outside the allowed directories are refused before anything is read", async () => {
    const outside = /the daemon reads only regular files under/;
    const model = (checkpoint: string) => ({ ...overrides, model: { preset: "test", checkpoint } });
    const bench = (path: string) => ({ ...overrides, benchmark: { path, sliceSize: 6 } });
    await refused(model("/dev/zero"), outside, "/dev/zero");
    await refused(bench("/etc/passwd"), outside, "/etc/passwd");
    await refused(
      bench(join(workspace.path, "inputs/../../../etc/passwd")),
      outside,
      "../ out of an allowed directory",
    );
    await refused(
      { ...overrides, model: { preset: "../../../../etc/passwd", checkpoint: "" } },
      outside,
      "model.preset traversal",
    );
    await refused({ ...overrides, rewards: "/etc/passwd.json" }, outside, "rewards file outside");
    await refused({ ...overrides, grpo: "/proc/self/environ.json" }, outside, "grpo file outside");
  });

  test("inside them: symlinks out, devices, FIFOs, oversized and mistyped files are refused unread", async () => {
    const inputs = join(workspace.path, "inputs");
    const model = (name: string) => ({
      ...overrides,
      model: { preset: "test", checkpoint: join(inputs, name) },
    });
    const bench = (name: string) => ({ ...overrides, benchmark: { path: join(inputs, name), sliceSize: 6 } });
    await refused(
      bench("escape.jsonl"),
      /leads outside the allowed directories through a symbolic link/,
      "symlink to /etc/passwd",
    );
    await refused(model("zero.ckpt"), /leads outside/, "symlink to /dev/zero");
    await refused(bench("fifo.jsonl"), /not a regular file/, "FIFO");
    await refused(
      model("huge.ckpt"),
      /314572800 bytes, more than the 268435456 allowed/,
      "300 MiB checkpoint",
    );
    await refused(model("secret.ckpt"), /not an mmzero checkpoint/, "text posing as a checkpoint");
    await refused(bench("secret.jsonl"), /not a JSONL benchmark/, "text posing as a benchmark");
    await refused(model("absent.ckpt"), /no such file/, "a missing file");
  });

  test("prototype keys are unknown fields and deep nesting is a 400, never a 500", async () => {
    for (const key of ["__proto__", "constructor", "prototype"]) {
      const reply = await postJson(
        `${daemon.url}/runs`,
        `{"preset": "smoke", "config": {"${key}": {"seed": "1"}}}`,
      );
      assert.equal(reply.status, 400, `${key}: ${reply.text}`);
      assert.match(
        Schema.decodeUnknownSync(RefusalReply)(reply.json()).reason,
        new RegExp(`unknown field "${key}"`),
      );
    }
    const protoChain = await postJson(
      `${daemon.url}/runs`,
      `{"preset": "smoke", "config": ${chain("__proto__", 60_000)}}`,
    );
    assert.equal(protoChain.status, 400, protoChain.text);
    assert.match(protoChain.text, /unknown field \\"__proto__\\"/);
    const deep = await postJson(`${daemon.url}/runs`, `{"preset": "smoke", "config": ${chain("a", 60_000)}}`);
    assert.equal(deep.status, 400, deep.text);
    assert.match(Schema.decodeUnknownSync(RefusalReply)(deep.json()).reason, /nests deeper than 16 levels/);
  });

  test("nothing refused was persisted: no run, no submission, no temporary file", async () => {
    const runs = Schema.decodeUnknownSync(RunListReply)((await request(`${daemon.url}/runs`)).json());
    assert.deepEqual(runs.runs, []);
    assert.deepEqual(await filesUnder(runsDirectory), []);
  });

  test("a hostile submission persisted by an older daemon fails its run with a refusal, unread", async () => {
    const config = resolveRunConfig("smoke", {
      ...overrides,
      model: { preset: "test", checkpoint: "/dev/zero" },
    });
    const runId = runIdOf(config);
    await mkdir(join(runsDirectory, runId), { recursive: true });
    const stored = { format: 1, runId, sequence: 1, preset: "smoke", overrides: null, config };
    await writeFile(join(runsDirectory, runId, submissionFileName), JSON.stringify(stored));
    await daemon.stop("SIGTERM");
    daemon = await startDaemon([
      "--runs-dir",
      runsDirectory,
      ...readDirFlags(join(workspace.path, "inputs")),
    ]);
    const failed = await until("the restored run fails", async () => {
      const reply = await request(`${daemon.url}/runs/${runId}/status`);
      const status = Schema.decodeUnknownSync(RunStatusReply)(reply.json());
      return status.status === "failed" ? status : undefined;
    });
    assert.equal(failed.failure?.name, "InputFileRefusedError");
    assert.match(failed.failure?.message ?? "", /model\.checkpoint "\/dev\/zero" refused/);
  });
});

describe("mmzero daemon: the bearer token (real processes)", () => {
  let workspace: TempDir;
  before(async () => {
    workspace = await makeTempDir("faults-daemon-auth");
  });
  after(async () => {
    await workspace[Symbol.asyncDispose]();
  });

  test("a non-loopback address without --auth-token-file refuses to start, naming the flag", async () => {
    await assert.rejects(
      startDaemon(["--runs-dir", join(workspace.path, "runs"), "--http-host", "0.0.0.0"]),
      /not loopback\) needs --auth-token-file/,
    );
  });

  test("with a token, every request but the probes needs it; mmzero submit sends it", async () => {
    const tokenFile = join(workspace.path, "token");
    await writeFile(tokenFile, "0123456789abcdef0123456789abcdef\n");
    await using daemon = await startDaemon([
      "--runs-dir",
      join(workspace.path, "runs"),
      "--http-host",
      "0.0.0.0",
      "--auth-token-file",
      tokenFile,
    ]);
    const url = daemon.url.replace("0.0.0.0", "127.0.0.1");
    assert.equal((await request(`${url}/healthz`)).status, 200);
    for (const path of ["/runs", "/metrics", "/runs/x/status"]) {
      const reply = await request(`${url}${path}`);
      assert.equal(reply.status, 401, `${path}: ${reply.text}`);
    }
    const wrong = await request(`${url}/runs`, {
      headers: { authorization: "Bearer 0123456789abcdef0123456789abcdeX" },
    });
    assert.equal(wrong.status, 401);
    const unauthorizedPost = await postJson(`${url}/runs`, { preset: "smoke" });
    assert.equal(unauthorizedPost.status, 401);
    const right = await request(`${url}/runs`, {
      headers: { authorization: "Bearer 0123456789abcdef0123456789abcdef" },
    });
    assert.equal(right.status, 200, right.text);
    const cli = join(import.meta.dirname, "../../bin/mmzero.js");
    // The CLI with the token reaches the daemon, which refuses the hostile path (400), not the caller (401).
    const config = join(workspace.path, "hostile.json");
    await writeFile(
      config,
      JSON.stringify({ preset: "smoke", model: { preset: "test", checkpoint: "/dev/zero" } }),
    );
    const submitted = spawnCli(cli, ["submit", config, "--daemon", url, "--auth-token-file", tokenFile]);
    assert.equal(submitted.status, 1);
    assert.match(submitted.stderr, /refused \(400\).*model\.checkpoint "\/dev\/zero" refused/);
    const anonymous = spawnCli(cli, ["submit", config, "--daemon", url]);
    assert.match(anonymous.stderr, /refused \(401\)/);
  });
});

function spawnCli(cli: string, args: readonly string[]): { status: number | null; stderr: string } {
  try {
    execFileSync(process.execPath, [cli, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return { status: 0, stderr: "" };
  } catch (error) {
    const failed = error as { status: number | null; stderr: string };
    return { status: failed.status, stderr: failed.stderr };
  }
}
