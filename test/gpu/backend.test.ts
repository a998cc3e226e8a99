// Goal: backend selection picks the best installed backend (wasm here: tfjs-node cannot install on
// this machine), honours a name from the caller or MMZERO_BACKEND, reports name, version, threads and
// SIMD, and fails with a typed error that names the install command when a native backend is absent.
// Method: select with injected environments; skip the absent-native assertions where a native
// backend happens to be installed.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import {
  BackendUnavailableError,
  backendEnvironmentVariable,
  parseBackendName,
  selectBackend,
  UnknownBackendError,
} from "../../src/gpu/index.ts";

function installed(specifier: string): boolean {
  try {
    createRequire(import.meta.url).resolve(specifier);
    return true;
  } catch {
    return false;
  }
}
const nativeInstalled = installed("@tensorflow/tfjs-node") || installed("@tensorflow/tfjs-node-gpu");

describe("selectBackend", () => {
  test("parses names and rejects unknown ones", () => {
    assert.equal(parseBackendName(" WASM "), "wasm");
    assert.equal(parseBackendName("auto"), "auto");
    assert.throws(() => parseBackendName("webgpu"), UnknownBackendError);
  });

  test("auto picks wasm with SIMD on one thread when no native backend is installed", {
    skip: nativeInstalled,
  }, async () => {
    const selected = await selectBackend({ environment: {} });
    assert.equal(selected.info.name, "wasm");
    assert.equal(tf.getBackend(), "wasm");
    assert.equal(selected.info.threads, 1);
    assert.equal(selected.info.simd, true);
    assert.match(selected.info.version, /tfjs-backend-wasm 4\.22\.0/);
    assert.match(selected.reason, /node: @tensorflow\/tfjs-node is not installed/);
  });

  test("MMZERO_BACKEND names the backend; a caller's name wins over it", async () => {
    const fromEnvironment = await selectBackend({ environment: { [backendEnvironmentVariable]: "cpu" } });
    assert.equal(fromEnvironment.info.name, "cpu");
    assert.equal(tf.getBackend(), "cpu");
    assert.deepEqual([fromEnvironment.info.threads, fromEnvironment.info.simd], [1, false]);
    const named = await selectBackend({ name: "wasm", environment: { [backendEnvironmentVariable]: "cpu" } });
    assert.equal(named.info.name, "wasm");
    assert.equal(tf.getBackend(), "wasm");
  });

  test("a named native backend that is absent fails with the install command", {
    skip: nativeInstalled,
  }, async () => {
    await assert.rejects(selectBackend({ name: "node" }), (error: unknown) => {
      assert(error instanceof BackendUnavailableError);
      assert.equal(error.backend, "node");
      assert.match(error.message, /npm install @tensorflow\/tfjs-node`/);
      return true;
    });
    await assert.rejects(
      selectBackend({ environment: { [backendEnvironmentVariable]: "node-gpu" } }),
      /npm install @tensorflow\/tfjs-node-gpu/,
    );
    assert.throws(() => parseBackendName("tensorflow"), UnknownBackendError);
  });
});
