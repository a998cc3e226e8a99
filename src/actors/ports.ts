import type { PolicyRole, payloads } from "../events/index.ts";
import type { GrpoConfig } from "../rewards/index.ts";
import type { KeyPart } from "../rng/index.ts";

/**
 * What the loop needs from models and the renderer, in content-addressed, JSON-able terms, so the
 * same requests can be served in this process or by a worker on another machine. A policy is named
 * by its weight hash; images by the hash of their pixels (blobs in the run's blob store).
 */

export interface GenerationRequest {
  /** Logical sample key: the keyed generator draws this sequence's tokens from it. */
  readonly key: readonly KeyPart[];
  readonly prompt: string;
  /** Pixel blob (raw RGBA, Solver input size) for image-conditioned roles; null for text-only. */
  readonly image: string | null;
  readonly temperature: number;
  /** Greedy decoding instead of sampling (evaluation). */
  readonly greedy: boolean;
}

export interface Generation {
  readonly text: string;
  readonly tokens: readonly number[];
  /** Log-probs of the sampled tokens under the temperature-1 policy (GRPO's "old" log-probs). */
  readonly logProbs: readonly number[];
}

export interface TrainingSequence {
  readonly prompt: string;
  readonly image: string | null;
  readonly tokens: readonly number[];
  readonly oldLogProbs: readonly number[];
  readonly advantage: number;
}

/** Optimizer settings the Trainer applies (the run's config), carried with each update request. */
export interface OptimizerSettings {
  readonly learningRate: number;
  readonly weightDecay: number;
  readonly gradientClipNorm: number;
  readonly miniBatches: number;
}

export interface UpdateRequest {
  readonly role: PolicyRole;
  readonly policy: string;
  /** Frozen reference for the KL term: the policy at the start of the phase. */
  readonly reference: string;
  /** Optimizer state blob to continue from; null at the start of a phase. */
  readonly optimizerState: string | null;
  readonly sequences: readonly TrainingSequence[];
  /** Keys the mini-batch split; sequences arrive sorted by logical key. */
  readonly key: readonly KeyPart[];
  /** The run's GRPO and optimizer settings: any Trainer worker can serve any run. */
  readonly grpo: GrpoConfig;
  readonly optimizer: OptimizerSettings;
}

export interface UpdateResult {
  readonly weightHash: string;
  readonly checkpoint: string;
  readonly optimizerState: string;
  readonly loss: number;
  readonly policyLoss: number;
  readonly kl: number;
  readonly clipFraction: number;
  readonly gradNorm: number;
  readonly tokenCount: number;
}

export type RenderResult =
  | {
      readonly kind: "ok";
      readonly pixelHash: string;
      readonly png: string;
      readonly width: number;
      readonly height: number;
    }
  | {
      readonly kind: "failed";
      readonly outcome: RenderFailureKind;
      readonly message: string;
      readonly noCodeExtracted: boolean;
      readonly notSvgLike: boolean;
    };

export type RenderFailureKind = typeof payloads.RenderOutcomeKind.Type;

/** The engine's view of models, trainer and renderer; the runtime routes each call over the bus. */
export interface LoopServices {
  generate(
    role: PolicyRole,
    policy: string,
    requests: readonly GenerationRequest[],
  ): Promise<readonly Generation[]>;
  update(request: UpdateRequest): Promise<UpdateResult>;
  render(modelOutputs: readonly string[], size: number): Promise<readonly RenderResult[]>;
}
