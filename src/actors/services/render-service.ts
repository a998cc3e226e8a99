import { coderFailureTier, type RenderPool } from "../../render/index.ts";
import type { BlobStore } from "../../store/index.ts";
import type { RenderMessage, RenderReply } from "../messages.ts";

/**
 * The Renderer actor's work: each model output through the sandboxed pool; a rendered image's raw
 * RGBA (the Solver's input) and PNG (for people) go to the blob store, and the reply carries their
 * hashes. Failures come back as typed outcomes with the Coder reward flags, never as exceptions.
 */
export class RenderService {
  constructor(
    private readonly pool: RenderPool,
    private readonly blobs: BlobStore,
  ) {}

  async render(message: RenderMessage): Promise<RenderReply> {
    const outcomes = await Promise.all(
      message.outputs.map((output) => this.pool.render(output, { size: message.size })),
    );
    const results: RenderReply["results"][number][] = [];
    for (const outcome of outcomes) {
      if (outcome.kind === "ok") {
        const pixelHash = await this.blobs.put(outcome.image.rgba);
        const png = await this.blobs.put(outcome.image.png);
        results.push({
          kind: "ok",
          pixelHash,
          png,
          width: outcome.image.width,
          height: outcome.image.height,
        });
        continue;
      }
      const tier = coderFailureTier(outcome);
      results.push({
        kind: "failed",
        outcome: outcome.kind,
        message: outcome.message,
        noCodeExtracted: !tier.rendered && tier.noCodeExtracted,
        notSvgLike: !tier.rendered && tier.notSvgLike,
      });
    }
    return { results };
  }
}
