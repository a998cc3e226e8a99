import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { EvaluationItem } from "../actors/index.ts";
import { sha256Hex } from "../events/index.ts";
import {
  decodeCheckpoint,
  type ModelPresetName,
  modelPresetNames,
  modelPresetOfShape,
} from "../gpu/index.ts";
import {
  type GrpoConfig,
  type GrpoConfigOverrides,
  grpoPresetNames,
  type RewardConfig,
  type RewardConfigOverrides,
  resolveGrpoConfig,
  resolveRewardConfig,
  rewardPresetNames,
} from "../rewards/index.ts";
import type { BlobStore } from "../store/index.ts";
import { parseBenchmarkJsonl } from "../world/index.ts";

/** Committed base checkpoints by model preset (produced by `mmzero pretrain`, see docs/world.md). */
export function committedBasePath(modelPreset: string): string {
  return resolve(import.meta.dirname, "../../models", `base-${modelPreset}.ckpt`);
}

export class MissingBaseModelError extends Error {
  override readonly name = "MissingBaseModelError";
  constructor(readonly path: string) {
    super(
      `no base checkpoint at ${path}: run \`mmzero pretrain\` to produce it, or pass a checkpoint in the config (model.checkpoint)`,
    );
  }
}

/** A base checkpoint whose model sees images of another size than the run renders. */
export class BaseImageSizeError extends Error {
  override readonly name = "BaseImageSizeError";
  constructor(
    readonly path: string,
    readonly modelImageSize: number,
    readonly renderImageSize: number,
  ) {
    super(
      `the base checkpoint ${path} sees ${modelImageSize}x${modelImageSize} images but the run renders ${renderImageSize}x${renderImageSize}: set render.imageSize to ${modelImageSize}`,
    );
  }
}

/**
 * A base checkpoint whose model is not the size `model.preset` names. Why refused: the checkpoint's
 * own shape is what runs, so the config (and every report quoting it) would name another model.
 */
export class BaseModelPresetError extends Error {
  override readonly name = "BaseModelPresetError";
  constructor(
    readonly path: string,
    readonly configPreset: string,
    readonly checkpointPreset: ModelPresetName | undefined,
  ) {
    super(
      checkpointPreset === undefined
        ? `the base checkpoint ${path} is a model of no preset's size (${modelPresetNames.join(", ")}), but model.preset is "${configPreset}"`
        : `the base checkpoint ${path} is a "${checkpointPreset}" model but model.preset is "${configPreset}": set model.preset to ${checkpointPreset}`,
    );
  }
}

/**
 * Loads the base checkpoint into the run's blob store; returns its blob and weight hashes. Checked
 * before the run starts: its model must be the size `model.preset` names and see images of the run's
 * `render.imageSize` (otherwise the first Solver call would fail mid-run).
 */
export async function loadBasePolicy(
  blobs: BlobStore,
  modelPreset: string,
  checkpointPath: string,
  renderImageSize: number,
): Promise<{ checkpoint: string; weightHash: string }> {
  const path = checkpointPath === "" ? committedBasePath(modelPreset) : resolve(checkpointPath);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT")
      throw new MissingBaseModelError(path);
    throw error;
  }
  const loaded = decodeCheckpoint(bytes);
  const modelConfig = loaded.model.config;
  loaded.model.dispose();
  const checkpointPreset = modelPresetOfShape(modelConfig);
  if (checkpointPreset !== modelPreset) throw new BaseModelPresetError(path, modelPreset, checkpointPreset);
  if (modelConfig.imageSize !== renderImageSize)
    throw new BaseImageSizeError(path, modelConfig.imageSize, renderImageSize);
  const checkpoint = await blobs.put(bytes);
  return { checkpoint, weightHash: loaded.weightHash };
}

/** The public benchmark file as the loop's items, with the file's hash (recorded with each evaluation). */
export async function loadBenchmark(path: string): Promise<{ items: EvaluationItem[]; hash: string }> {
  const text = await readFile(resolve(path), "utf8");
  const items = parseBenchmarkJsonl(text).map((item) => ({
    id: item.id,
    svg: item.svg,
    question: item.question,
    answer: item.answer,
    contentType: item.content_type,
    level: item.level,
  }));
  return { items, hash: sha256Hex(text) };
}

/**
 * A reward or GRPO setting: a preset name, or the path of a JSON file of overrides (which may name
 * its own `preset`). Unknown names and invalid files are errors naming what was wrong.
 */
async function settingOverrides(setting: string, presets: readonly string[]): Promise<unknown> {
  if (presets.includes(setting)) return { preset: setting };
  if (!setting.endsWith(".json")) {
    throw new Error(`"${setting}" is neither a preset (${presets.join(", ")}) nor a .json file`);
  }
  return JSON.parse(await readFile(resolve(setting), "utf8"));
}

export async function loadRewardConfig(setting: string): Promise<RewardConfig> {
  return resolveRewardConfig((await settingOverrides(setting, rewardPresetNames)) as RewardConfigOverrides);
}

export async function loadGrpoConfig(setting: string): Promise<GrpoConfig> {
  return resolveGrpoConfig((await settingOverrides(setting, grpoPresetNames)) as GrpoConfigOverrides);
}
