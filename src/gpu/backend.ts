import assert from "node:assert/strict";
import os from "node:os";
import * as tf from "@tensorflow/tfjs";
import { getThreadsCount, version_wasm } from "@tensorflow/tfjs-backend-wasm";
import type { payloads } from "../events/index.ts";

/**
 * TensorFlow.js backend selection. Native backends (tfjs-node-gpu, tfjs-node) are optional peers
 * loaded by dynamic import; wasm and cpu ship with the package. The choice and its reason are
 * reported so a run can record them: training bits differ between backends and with SIMD on/off.
 */

export const backendNames = ["node-gpu", "node", "wasm", "cpu"] as const;
export type BackendName = (typeof backendNames)[number];

/** Environment variable that names a backend (`node-gpu`, `node`, `wasm`, `cpu` or `auto`). */
export const backendEnvironmentVariable = "MMZERO_BACKEND";

/**
 * Of the two backends that install everywhere, the faster for this model on this machine's kind:
 * wasm (SIMD, one thread) ran the small preset's training step about 20x faster than cpu
 * (docs/model.md, bench/gpu.ts).
 */
export const portableBackendDefault: BackendName = "wasm";

const nativePackages = {
  "node-gpu": "@tensorflow/tfjs-node-gpu",
  node: "@tensorflow/tfjs-node",
} as const;

/** The backend a flag or MMZERO_BACKEND named cannot be used here. */
export class BackendUnavailableError extends Error {
  override readonly name = "BackendUnavailableError";
  constructor(
    readonly backend: BackendName,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    const hint =
      backend === "node-gpu" || backend === "node"
        ? `install it with \`npm install ${nativePackages[backend]}\` (it downloads libtensorflow), or pick wasm`
        : "this backend ships with mmzero; reinstall the dependencies";
    super(`backend ${backend} is unavailable: ${reason}; ${hint}`, options);
  }
}

/** A backend name that is not one of `backendNames` (or `auto`). */
export class UnknownBackendError extends Error {
  override readonly name = "UnknownBackendError";
  constructor(readonly requested: string) {
    super(`unknown backend "${requested}"; use one of ${backendNames.join(", ")} or auto`);
  }
}

export interface BackendOptions {
  /** A backend to use, or `auto` for the best installed. Default: MMZERO_BACKEND, else auto. */
  readonly name?: BackendName | "auto";
  /** Force the non-SIMD wasm build (must be decided before wasm first starts). Default: SIMD if supported. */
  readonly wasmSimd?: boolean;
  /** Where MMZERO_BACKEND is read from. Default: process.env. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
}

export interface SelectedBackend {
  readonly info: payloads.BackendInfo;
  /** Why this backend: named by the caller, or what auto-selection tried. */
  readonly reason: string;
}

/** Parses a backend name from a flag or the environment. */
export function parseBackendName(value: string): BackendName | "auto" {
  const trimmed = value.trim().toLowerCase();
  if (trimmed === "auto") return "auto";
  const found = backendNames.find((name) => name === trimmed);
  if (found === undefined) throw new UnknownBackendError(value);
  return found;
}

/** Selects, initialises and describes the backend; every tensor created afterwards lives there. */
export async function selectBackend(options: BackendOptions = {}): Promise<SelectedBackend> {
  const environment = options.environment ?? process.env;
  const fromEnvironment = environment[backendEnvironmentVariable];
  const requested =
    options.name ?? (fromEnvironment === undefined ? "auto" : parseBackendName(fromEnvironment));
  if (requested !== "auto") {
    await activate(requested, options);
    const source = options.name === undefined ? backendEnvironmentVariable : "the caller";
    return { info: await describeActive(requested), reason: `${requested} named by ${source}` };
  }
  const skipped: string[] = [];
  for (const native of ["node-gpu", "node"] as const) {
    try {
      await activate(native, options);
      return {
        info: await describeActive(native),
        reason: `best installed (${skipped.join("; ") || "first choice"})`,
      };
    } catch (error) {
      if (!(error instanceof BackendUnavailableError)) throw error;
      skipped.push(`${native}: ${error.reason}`);
    }
  }
  await activate(portableBackendDefault, options);
  return {
    info: await describeActive(portableBackendDefault),
    reason: `${portableBackendDefault} is the faster portable backend (${skipped.join("; ")})`,
  };
}

async function activate(name: BackendName, options: BackendOptions): Promise<void> {
  if (name === "node-gpu" || name === "node") await loadNative(name);
  if (name === "wasm" && options.wasmSimd === false) disableWasmSimd();
  const tfjsName = tfjsBackendName(name);
  if (!(await tf.setBackend(tfjsName))) {
    throw new BackendUnavailableError(name, `tfjs could not initialise the ${tfjsName} backend`);
  }
  await tf.ready();
  if (name === "cpu") silenceCpuBanner();
}

async function loadNative(name: "node-gpu" | "node"): Promise<void> {
  // A string variable keeps TypeScript from resolving a peer that is usually not installed.
  const specifier: string = nativePackages[name];
  try {
    await import(specifier);
  } catch (error) {
    const code = error instanceof Error ? Reflect.get(error, "code") : undefined;
    const reason =
      code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND"
        ? `${specifier} is not installed`
        : `${specifier} failed to load (${error instanceof Error ? error.message : String(error)})`;
    throw new BackendUnavailableError(name, reason, { cause: error });
  }
}

function disableWasmSimd(): void {
  const started = tf.engine().registry.wasm !== undefined;
  assert(!started, "wasm SIMD can only be switched off before the wasm backend first starts");
  tf.env().set("WASM_HAS_SIMD_SUPPORT", false);
}

/**
 * The cpu backend prints a "looks like you are running TensorFlow.js in Node.js" banner on its
 * first tensor. mmzero reports the backend itself, so the first write happens here with warnings off.
 */
function silenceCpuBanner(): void {
  const production = tf.env().getBool("PROD");
  tf.env().set("PROD", true);
  tf.scalar(0).dispose();
  tf.env().set("PROD", production);
}

function tfjsBackendName(name: BackendName): string {
  return name === "node-gpu" || name === "node" ? "tensorflow" : name;
}

async function describeActive(name: BackendName): Promise<payloads.BackendInfo> {
  assert.equal(tf.getBackend(), tfjsBackendName(name), "the active tfjs backend is the selected one");
  switch (name) {
    case "wasm":
      return {
        name,
        version: `tfjs-core ${tf.version_core}, tfjs-backend-wasm ${version_wasm}`,
        threads: getThreadsCount(),
        simd: (await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")) === true,
      };
    case "cpu":
      return { name, version: `tfjs-core ${tf.version_core}, tfjs-backend-cpu`, threads: 1, simd: false };
    case "node":
    case "node-gpu":
      // libtensorflow sizes its intra-op pool to the machine's cores; SIMD here means the wasm build only.
      return {
        name,
        version: `tfjs-core ${tf.version_core}, ${nativePackages[name]}`,
        threads: os.availableParallelism(),
        simd: false,
      };
  }
}
