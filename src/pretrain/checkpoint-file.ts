import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { encodeCheckpoint, type VisionLanguageModel } from "../gpu/index.ts";

/**
 * Writes a model-only checkpoint file (no optimiser moments: the loop starts each role's AdamW fresh
 * from the base). Written to a temporary name and renamed, so a crash never leaves half a base.
 */
export async function writeCheckpointFile(
  path: string,
  model: VisionLanguageModel,
): Promise<{ weightHash: string; bytes: number }> {
  const { bytes, weightHash } = await encodeCheckpoint(model);
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, bytes);
  await rename(temporary, path);
  return { weightHash, bytes: bytes.length };
}
