import assert from "node:assert/strict";
import { renderSvgInProcess } from "../render/index.ts";

/**
 * Solver images for pretraining and evaluation. The SVGs come from the world generator or the
 * committed benchmark (trusted, validated by the renderer's checks), so they render in-process: the
 * sandboxed pool exists for model output. Renders are cached by SVG text, since small worlds repeat
 * scenes; the cache is bounded and evicts in insertion order.
 */

/** Why: ~4,000 32x32 RGBA images are 16 MiB, and the corpus rarely repeats a scene further apart. */
export const imageCacheEntriesMax = 4096;

/** A trusted SVG that does not render: the generator or the benchmark file is broken. */
export class SceneRenderError extends Error {
  override readonly name = "SceneRenderError";
  constructor(
    readonly svg: string,
    readonly outcome: string,
    readonly detail: string,
  ) {
    super(
      `a world scene failed to render (${outcome}: ${detail}); the scene generator or benchmark file is broken: ${svg}`,
    );
  }
}

export class SceneImages {
  private readonly cache = new Map<string, Uint8Array>();

  constructor(readonly imageSize: number) {}

  /** Straight RGBA pixels, imageSize x imageSize (what the Solver sees in the loop). */
  rgba(svg: string): Uint8Array {
    const cached = this.cache.get(svg);
    if (cached !== undefined) return cached;
    const outcome = renderSvgInProcess(svg, { size: this.imageSize, extract: false });
    if (outcome.kind !== "ok") throw new SceneRenderError(svg, outcome.kind, outcome.message);
    assert.equal(
      outcome.image.rgba.length,
      this.imageSize * this.imageSize * 4,
      "render has the requested size",
    );
    if (this.cache.size >= imageCacheEntriesMax) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(svg, outcome.image.rgba);
    return outcome.image.rgba;
  }
}
