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
    // Blob writes overlap (each is a durable write): content addressing makes their order irrelevant.
    const results = await Promise.all(
      outcomes.map(async (outcome): Promise<RenderReply["results"][number]> => {
        if (outcome.kind === "ok") {
          const [pixelHash, png] = await Promise.all([
            this.blobs.put(outcome.image.rgba),
            this.blobs.put(outcome.image.png),
          ]);
          return { kind: "ok", pixelHash, png, width: outcome.image.width, height: outcome.image.height };
        }
        const tier = coderFailureTier(outcome);
        return {
          kind: "failed",
          outcome: outcome.kind,
          message: outcome.message,
          noCodeExtracted: !tier.rendered && tier.noCodeExtracted,
          notSvgLike: !tier.rendered && tier.notSvgLike,
        };
      }),
    );
    return { results };
  }
}
