import assert from "node:assert/strict";
import type { ResponseInput } from "../gpu/index.ts";
import { type RoleTextCodec, worldRoleFormats } from "../policy/index.ts";
import { keyedRandom } from "../rng/index.ts";
import { type CorpusExample, drawViewShift, type SolverExample, shiftedSceneSvg } from "../world/index.ts";
import type { SceneImages } from "./images.ts";

/**
 * A corpus example as a training row. The prompt is built with the loop's own formats
 * (worldRoleFormats) and codec, so the base is trained on exactly the token sequences the loop feeds
 * it; the assertion pairs that with the corpus's own prompt text.
 */
export function loopPromptText(example: CorpusExample): string {
  switch (example.role) {
    case "proposer":
      return worldRoleFormats.proposerPrompt(example.topic);
    case "coder":
      return worldRoleFormats.coderPrompt(example.proposal);
    case "solver":
      return worldRoleFormats.solverPrompt(example.question);
  }
}

/** A Solver example's SVG as the row's image shows it (the writer's view, or a shifted one). */
export type SceneViewer = (example: SolverExample) => string;

export const writerView: SceneViewer = (example) => example.svg;

/**
 * Each Solver example seen through its own shifted camera, drawn from (seed, example index), so a
 * pretraining's images are a function of its settings like everything else it trains on.
 */
export function jitteredView(seed: string, jitter: number): SceneViewer {
  return (example) =>
    shiftedSceneSvg(example.svg, drawViewShift(keyedRandom(seed, "view-jitter", example.index), jitter));
}

export function trainingRow(
  example: CorpusExample,
  codec: RoleTextCodec,
  images: SceneImages,
  view: SceneViewer = writerView,
): ResponseInput {
  const prompt = loopPromptText(example);
  assert.equal(
    prompt,
    example.prompt,
    `corpus ${example.role} ${example.index}: prompt differs from the loop's`,
  );
  const row = { prompt: codec.promptTokens(prompt), response: codec.responseTokens(example.target) };
  return example.role === "solver" ? { ...row, image: images.rgba(view(example)) } : row;
}
