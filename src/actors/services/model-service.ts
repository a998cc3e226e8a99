import type { PolicyRole } from "../../events/index.ts";
import {
  AdamW,
  type Generation,
  GradientWorker,
  generate,
  grpoUpdate,
  loadCheckpoint,
  patchCount,
  saveCheckpoint,
  type VisionLanguageModel,
} from "../../gpu/index.ts";
import { type RoleTextCodec, responseTokensMax } from "../../policy/index.ts";
import type { BlobStore } from "../../store/index.ts";
import type { GenerateMessage, GenerateReply, UpdateMessage, UpdateReply } from "../messages.ts";
import { PolicyCache } from "./policy-cache.ts";

/** Why: larger batches raise decode throughput until attention's cost dominates; 64 rows fit easily. */
export const generationBatchRowsMax = 64;

/**
 * The model side of the Proposer, Coder, Solver and Trainer actors: sampling from a checkpoint and
 * GRPO updates, with everything addressed by blob hash so any process holding the blob store can
 * serve any request. Images are read once per row and checkpoints once per update: give it a
 * RecentBlobs in front of the store (shared with the RenderService, whose renders it then reads from
 * memory).
 */
export class ModelService {
  private readonly cache: PolicyCache;
  /** Started by the first update that asks for two threads; replaced if it failed. */
  private gradientWorker: GradientWorker | undefined;

  constructor(
    private readonly blobs: BlobStore,
    private readonly codec: RoleTextCodec,
  ) {
    this.cache = new PolicyCache(blobs);
  }

  /**
   * A role's prompt tokens, cut to fit the context with the role's whole response budget (and the
   * image patches): a prompt rebuilt from a long or junk-filled proposal must not overflow the model.
   * Generation and the GRPO update use the same cut, so the update scores what was sampled.
   */
  private promptFor(model: VisionLanguageModel, role: PolicyRole, text: string, hasImage: boolean): number[] {
    const budget =
      model.config.contextLength - responseTokensMax[role] - (hasImage ? patchCount(model.config) : 0);
    const tokens = this.codec.promptTokens(text);
    return tokens.length > budget ? tokens.slice(0, Math.max(1, budget)) : tokens;
  }

  private async pixels(hash: string | null): Promise<Uint8Array | undefined> {
    return hash === null ? undefined : this.blobs.get(hash);
  }

  async generate(message: GenerateMessage): Promise<GenerateReply> {
    const { model } = await this.cache.get(message.policy);
    const generations: GenerateReply["generations"][number][] = [];
    // Rows with the same settings share a batch; each row's draws depend only on its own key.
    for (let start = 0; start < message.requests.length; start += generationBatchRowsMax) {
      const chunk = message.requests.slice(start, start + generationBatchRowsMax);
      for (const group of groupBySettings(chunk)) {
        const rows = await Promise.all(
          group.map(async (request) => ({
            prompt: this.promptFor(model, message.role, request.prompt, request.image !== null),
            image: await this.pixels(request.image),
            sampleKey: request.key,
          })),
        );
        const first = group[0]!;
        const results: Generation[] = await generate(model, rows, {
          seed: first.seed,
          maxNewTokens: responseTokensMax[message.role],
          temperature: first.temperature,
          greedy: first.greedy,
        });
        group.forEach((request, index) => {
          const result = results[index]!;
          generations[start + request.index] = {
            text: this.codec.responseText(result.tokens),
            tokens: result.tokens,
            logProbs: result.logProbs,
          };
        });
      }
    }
    return { generations: generations.slice(0, message.requests.length) };
  }

  async update(message: UpdateMessage): Promise<UpdateReply> {
    // A private copy: the update assigns weights in place, and the cache must keep serving the old policy.
    const policy = await loadCheckpoint(this.blobs, message.optimizerState ?? message.policy);
    const reference = await this.cache.get(message.reference);
    const optimizer =
      message.optimizerState !== null && policy.optimizer !== null
        ? policy.optimizer
        : new AdamW(policy.model, {
            learningRate: message.optimizer.learningRate,
            weightDecay: message.optimizer.weightDecay,
          });
    try {
      const samples = await Promise.all(
        message.sequences.map(async (sequence) => ({
          prompt: this.promptFor(policy.model, message.role, sequence.prompt, sequence.image !== null),
          image: await this.pixels(sequence.image),
          response: sequence.tokens,
          oldLogProbs: sequence.oldLogProbs,
          advantage: sequence.advantage,
        })),
      );
      const stats = await grpoUpdate(policy.model, reference.model, optimizer, samples, {
        config: message.grpo,
        miniBatches: message.optimizer.miniBatches,
        gradientClipNorm: message.optimizer.gradientClipNorm,
        ...(message.optimizer.threads === 2 ? { helper: await this.usableGradientWorker() } : {}),
      });
      const saved = await saveCheckpoint(this.blobs, policy.model, optimizer);
      return {
        weightHash: saved.weightHash,
        checkpoint: saved.checkpoint,
        optimizerState: saved.checkpoint,
        loss: stats.loss,
        policyLoss: stats.policyLoss,
        kl: stats.klLoss,
        clipFraction: Math.min(1, stats.clipFractionHigher + stats.clipFractionLower),
        gradNorm: stats.gradNorm,
        tokenCount: stats.tokenCount,
      };
    } finally {
      policy.model.dispose();
    }
  }

  private async usableGradientWorker(): Promise<GradientWorker> {
    if (this.gradientWorker?.usable !== true) this.gradientWorker = await GradientWorker.start();
    return this.gradientWorker;
  }

  async close(): Promise<void> {
    await this.gradientWorker?.close();
    await this.cache.clear();
  }
}

function groupBySettings<
  Request extends { readonly seed: string; readonly temperature: number; readonly greedy: boolean },
>(requests: readonly Request[]): (Request & { readonly index: number })[][] {
  const groups = new Map<string, (Request & { readonly index: number })[]>();
  requests.forEach((request, index) => {
    const key = JSON.stringify([request.seed, request.greedy, request.temperature]);
    const group = groups.get(key) ?? [];
    group.push({ ...request, index });
    groups.set(key, group);
  });
  return [...groups.values()];
}
