/**
 * The benchmark/corpus split of scenes. A scene belongs to the benchmark iff the SHA-256 of its
 * signature (canonical caption) falls in bucket 0 of 8. The corpus sampler rejects bucket 0 and the
 * benchmark sampler accepts only bucket 0, so no benchmark scene (and hence no benchmark item) can ever
 * appear in the pretraining corpus, whatever the seeds: the proof is this function, not luck.
 */
import { createHash } from "node:crypto";
import type { KeyedRandom } from "../rng/index.ts";
import { sceneSignature } from "./caption.ts";
import type { WorldContentType } from "./lexicon.ts";
import type { Scene } from "./scene.ts";
import { sampleScene } from "./scene-sampler.ts";

export const benchmarkPartitionBuckets = 8;
/** Why 256: a draw lands in a wanted partition with probability >= 1/8, so 256 misses is ~1e-15. */
export const partitionAttemptsMax = 256;

export type ScenePartition = "benchmark" | "corpus";

/** The scene's bucket in [0, benchmarkPartitionBuckets). */
export function sceneBucket(scene: Scene): number {
  const digest = createHash("sha256").update(sceneSignature(scene)).digest();
  return digest.readUInt32BE(0) % benchmarkPartitionBuckets;
}

export function scenePartition(scene: Scene): ScenePartition {
  return sceneBucket(scene) === 0 ? "benchmark" : "corpus";
}

/** A scene of the content type from the given partition; attempt `a` draws from `random.fork("scene", a)`. */
export function sampleSceneIn(
  random: KeyedRandom,
  contentType: WorldContentType,
  partition: ScenePartition,
): Scene {
  for (let attempt = 0; attempt < partitionAttemptsMax; attempt++) {
    const scene = sampleScene(random.fork("scene", attempt), contentType);
    if (scenePartition(scene) === partition) return scene;
  }
  throw new Error(
    `no ${partition} ${contentType} scene in ${partitionAttemptsMax} draws (key ${JSON.stringify(random.parts)}); ` +
      "the sampler's scene space is too small for the partition",
  );
}
