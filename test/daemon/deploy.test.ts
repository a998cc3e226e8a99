// Goal: deploy/ works as shipped. The systemd units load (systemd-analyze verify, where installed),
// carry what a supervisor needs (Restart=on-failure, a stop timeout past the 30 s drain, the
// watchdog timer on the healthcheck) and the hardening options; the healthcheck script restarts the
// daemon exactly when /healthz answers 503 or hangs. The compose file has a JetStream server, the
// daemon and workers, each with an image and a command, depends_on on a healthy NATS, healthchecks
// for NATS and the daemon, declared volumes. Every mmzero flag in a unit or the compose file is one
// the real CLI accepts (`--help` of the real binary).
// Method: an INI reader for the units; the compose file read with the project's YAML parser (`yaml`,
// strict, duplicate keys refused); the healthcheck script run with a fake
// `systemctl` on PATH against a local HTTP server answering 200, 503 or nothing.
import assert from "node:assert/strict";
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { parse as parseYaml } from "yaml";
import { makeTempDir, type TempDir } from "../support/temp-dir.ts";

const execFileAsync = promisify(execFile);
const root = join(import.meta.dirname, "../..");
const deploy = join(root, "deploy");
const cli = join(root, "bin/mmzero.js");
const unitNames = ["mmzero-daemon.service", "mmzero-daemon-watchdog.service", "mmzero-daemon-watchdog.timer"];

type Unit = Map<string, Map<string, string[]>>;

/** Sections of a unit file, each key's values in order (a key may repeat). */
function parseUnit(text: string): Unit {
  const unit: Unit = new Map();
  let section: Map<string, string[]> | undefined;
  for (const [index, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header !== null) {
      section = new Map();
      unit.set(header[1]!, section);
      continue;
    }
    const entry = /^([A-Za-z]+)=(.*)$/.exec(line);
    assert.ok(
      section !== undefined && entry !== null,
      `line ${index + 1} is not Key=value in a section: ${raw}`,
    );
    section.set(entry[1]!, [...(section.get(entry[1]!) ?? []), entry[2]!]);
  }
  return unit;
}

function value(unit: Unit, section: string, key: string): string {
  const values = unit.get(section)?.get(key);
  assert.ok(values !== undefined && values.length > 0, `[${section}] ${key} is missing`);
  return values.at(-1)!;
}

/** Seconds of a systemd time span such as "35s" or "2min". */
function seconds(span: string): number {
  const match = /^(\d+)(s|min)$/.exec(span);
  assert.ok(match !== null, `unexpected time span ${span}`);
  return Number(match[1]) * (match[2] === "min" ? 60 : 1);
}

const helpFlags = new Map<string, Set<string>>();

/** The long flags `mmzero <command> --help` lists, from the real binary (asked once per command). */
function flagsOf(command: string): Set<string> {
  const known = helpFlags.get(command);
  if (known !== undefined) return known;
  const help = execFileSync(process.execPath, [cli, command, "--help"], {
    encoding: "utf8",
    timeout: 180_000,
  });
  const flags = new Set([...help.matchAll(/--[a-z][a-z-]*/g)].map((match) => match[0]));
  helpFlags.set(command, flags);
  return flags;
}

/** The `--flags` of an mmzero argument list (values skipped). */
function flagsIn(args: readonly string[]): string[] {
  return args.filter((arg) => arg.startsWith("--"));
}

describe("deploy/systemd", () => {
  let units: Map<string, Unit>;
  let workspace: TempDir;

  before(async () => {
    workspace = await makeTempDir("deploy-systemd");
    units = new Map();
    for (const name of unitNames)
      units.set(name, parseUnit(await readFile(join(deploy, "systemd", name), "utf8")));
  });
  after(async () => {
    await workspace[Symbol.asyncDispose]();
  });

  test("the daemon unit restarts on failure, outlasts the drain, is hardened, and its flags exist", () => {
    const daemon = units.get("mmzero-daemon.service")!;
    const exec = value(daemon, "Service", "ExecStart").split(/\s+/);
    assert.deepEqual(exec.slice(0, 3), ["/usr/bin/node", "/opt/mmzero/bin/mmzero.js", "daemon"]);
    const known = flagsOf("daemon");
    for (const flag of flagsIn(exec)) assert.ok(known.has(flag), `mmzero daemon has no ${flag}`);
    assert.ok(exec.includes("--stall-limit"), "liveness needs a stall limit");
    assert.equal(value(daemon, "Service", "Restart"), "on-failure");
    assert.equal(value(daemon, "Service", "KillSignal"), "SIGTERM");
    assert.ok(seconds(value(daemon, "Service", "TimeoutStopSec")) > 30, "SIGKILL only after the 30 s drain");
    assert.equal(value(daemon, "Install", "WantedBy"), "multi-user.target");
    const hardening: Record<string, string> = {
      NoNewPrivileges: "yes",
      ProtectSystem: "strict",
      ProtectHome: "yes",
      PrivateTmp: "yes",
      PrivateDevices: "yes",
      ProtectKernelTunables: "yes",
      ProtectKernelModules: "yes",
      ProtectControlGroups: "yes",
      RestrictNamespaces: "yes",
      RestrictSUIDSGID: "yes",
      LockPersonality: "yes",
      CapabilityBoundingSet: "",
      SystemCallArchitectures: "native",
    };
    for (const [key, expected] of Object.entries(hardening))
      assert.equal(value(daemon, "Service", key), expected, key);
    assert.equal(value(daemon, "Service", "User"), "mmzero", "not root");
    assert.ok(!daemon.get("Service")!.has("MemoryDenyWriteExecute"), "V8's JIT needs W+X memory");
  });

  test("the watchdog timer runs the healthcheck against /healthz and restarts the daemon unit", () => {
    const timer = units.get("mmzero-daemon-watchdog.timer")!;
    assert.ok(seconds(value(timer, "Timer", "OnUnitActiveSec")) <= 300);
    assert.equal(value(timer, "Install", "WantedBy"), "timers.target");
    const probe = value(units.get("mmzero-daemon-watchdog.service")!, "Service", "ExecStart").split(/\s+/);
    assert.deepEqual(probe, [
      "/opt/mmzero/deploy/systemd/mmzero-healthcheck.sh",
      "http://127.0.0.1:7464/healthz",
      "mmzero-daemon.service",
    ]);
  });

  test("systemd-analyze verify accepts the units", async (context) => {
    if (spawnSync("systemd-analyze", ["--version"]).status !== 0) {
      context.skip(
        "systemd-analyze is not installed (apt-get install systemd); the key checks above still ran",
      );
      return;
    }
    // The units as installed on this machine: the repository for /opt/mmzero, this Node for /usr/bin/node.
    const directory = join(workspace.path, "units");
    await mkdir(directory);
    for (const name of unitNames) {
      const text = await readFile(join(deploy, "systemd", name), "utf8");
      await writeFile(
        join(directory, name),
        text.replaceAll("/opt/mmzero", root).replaceAll("/usr/bin/node", process.execPath),
      );
    }
    const verify = spawnSync(
      "systemd-analyze",
      ["verify", "--man=no", ...unitNames.map((name) => join(directory, name))],
      { encoding: "utf8" },
    );
    const ours = verify.stderr
      .split("\n")
      .filter((line) => unitNames.some((name) => line.includes(name)) || line.includes(directory));
    assert.equal(verify.status, 0, verify.stderr);
    assert.deepEqual(ours, [], verify.stderr);
  });

  describe("the healthcheck script", () => {
    let server: Server;
    let answer: "ok" | "stalled" | "hang";
    let url: string;
    const held: Array<() => void> = [];
    let probes = 0;

    before(async () => {
      server = createServer((_request, response) => {
        if (answer === "hang") {
          held.push(() => response.end());
          return;
        }
        response.writeHead(answer === "ok" ? 200 : 503).end("{}");
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
    });
    after(async () => {
      for (const release of held) release();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    /** Runs the script with a `systemctl` that records its arguments; returns them ("" if not called). */
    async function probe(target: string): Promise<string> {
      probes += 1;
      const bin = join(workspace.path, `probe-${probes}`);
      await mkdir(bin, { recursive: true });
      const record = join(bin, "systemctl.args");
      await writeFile(join(bin, "systemctl"), `#!/bin/sh\necho "$@" > "${record}"\n`, { mode: 0o755 });
      // Why async: the HTTP server answering the script lives in this process; a sync spawn would block it.
      await execFileAsync(join(deploy, "systemd/mmzero-healthcheck.sh"), [target, "mmzero-daemon.service"], {
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
        timeout: 60_000,
      });
      return readFile(record, "utf8").then(
        (text) => text.trim(),
        () => "",
      );
    }

    test("restarts on 503 and on no answer; leaves a healthy or starting daemon alone", async (context) => {
      if (spawnSync("curl", ["--version"]).status !== 0) {
        context.skip("curl is not installed: the script needs it");
        return;
      }
      answer = "ok";
      assert.equal(await probe(url), "");
      answer = "stalled";
      assert.equal(await probe(url), "restart mmzero-daemon.service");
      answer = "hang";
      assert.equal(await probe(url), "restart mmzero-daemon.service");
      // Connection refused: a closed port (the daemon is starting or stopped).
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      answer = "ok";
      assert.equal(await probe(`http://127.0.0.1:${port}/healthz`), "");
    });
  });
});

function mapping(value: unknown, what: string): { [key: string]: unknown } {
  assert.ok(typeof value === "object" && value !== null && !Array.isArray(value), `${what} is not a mapping`);
  return value as { [key: string]: unknown };
}

function strings(value: unknown, what: string): string[] {
  assert.ok(
    Array.isArray(value) && value.every((item) => typeof item === "string"),
    `${what} is not a list of strings`,
  );
  return value as string[];
}

describe("deploy/compose.yaml", () => {
  let text: string;
  let compose: { [key: string]: unknown };

  before(async () => {
    text = await readFile(join(deploy, "compose.yaml"), "utf8");
    compose = mapping(parseYaml(text, { strict: true, uniqueKeys: true }), "compose.yaml");
  });

  test("NATS with JetStream, the daemon and workers: images, commands, depends_on, healthchecks", () => {
    const services = mapping(compose.services, "services");
    assert.deepEqual(Object.keys(services).sort(), ["daemon", "nats", "worker"]);
    const volumes = Object.keys(mapping(compose.volumes, "volumes"));
    for (const [name, raw] of Object.entries(services)) {
      const service = mapping(raw, name);
      assert.equal(typeof service.image, "string", `${name} has an image`);
      strings(service.command, `${name}.command`);
      for (const volume of (service.volumes as string[] | undefined) ?? [])
        assert.ok(volumes.includes(volume.split(":")[0]!), `${name} mounts undeclared volume ${volume}`);
      assert.ok(
        ["on-failure", "unless-stopped", "always"].includes(String(service.restart)),
        `${name} restarts`,
      );
    }
    const nats = mapping(services.nats, "nats");
    assert.ok(strings(nats.command, "nats.command").includes("--jetstream"), "JetStream is on");
    for (const name of ["nats", "daemon"]) {
      const check = strings(
        mapping(mapping(services[name], name).healthcheck, `${name}.healthcheck`).test,
        "test",
      );
      assert.equal(check[0], "CMD", `${name}'s healthcheck runs a command`);
    }
    assert.match(
      strings(mapping(mapping(services.daemon, "daemon").healthcheck, "").test, "").join(" "),
      /\/healthz/,
      "the daemon's healthcheck is its liveness endpoint",
    );
    for (const name of ["daemon", "worker"]) {
      const service = mapping(services[name], name);
      const dependsOn = mapping(service.depends_on, `${name}.depends_on`);
      assert.deepEqual(mapping(dependsOn.nats, "nats"), { condition: "service_healthy" }, name);
      const command = strings(service.command, name);
      assert.equal(command[0], name, `${name} runs mmzero ${name}`);
      assert.equal(
        command[command.indexOf("--nats") + 1],
        "nats://nats:4222",
        `${name} uses the nats service`,
      );
      const grace = /^(\d+)s$/.exec(String(service.stop_grace_period));
      assert.ok(grace !== null && Number(grace[1]) > 30, `${name} gets past the 30 s drain before SIGKILL`);
    }
    assert.ok(mapping(mapping(services.daemon, "daemon").build, "build").dockerfile === "deploy/Dockerfile");
  });

  test("the daemon's and workers' flags are ones the CLI accepts", () => {
    const services = mapping(compose.services, "services");
    for (const name of ["daemon", "worker"]) {
      const known = flagsOf(name);
      const command = strings(mapping(services[name], name).command, name);
      for (const flag of flagsIn(command)) assert.ok(known.has(flag), `mmzero ${name} has no ${flag}`);
    }
  });
});
