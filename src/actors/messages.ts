import { Schema } from "effect";
import type { JsonValue } from "../bus/index.ts";
import { compiledSchema, PolicyRole, payloads, Sha256Hex } from "../events/index.ts";
import { GrpoConfig } from "../rewards/index.ts";

/**
 * Work messages on the bus, as Effect schemas: every message is decoded on arrival (once: not on the
 * way out), so a malformed one is rejected with the schema's reason instead of reaching a model.
 * The messages themselves are compiled (compiledSchema): decoding them is on every request's path.
 * Types derive from here.
 */

const KeyPart = Schema.Union([Schema.String, Schema.Int]);
const Finite = Schema.Finite;

/** One sample to draw: the keyed generator draws its tokens from (seed, ...key). */
export const GenerationRequestMessage = Schema.Struct({
  /** The run's seed. */
  seed: Schema.String,
  /** The sample's logical key within the run (role, policy version, sample key). */
  key: Schema.Array(KeyPart),
  prompt: Schema.String,
  /** Pixel blob (raw RGBA, Solver input size) for image-conditioned roles; null for text-only. */
  image: Schema.NullOr(Sha256Hex),
  temperature: Finite.check(Schema.isGreaterThan(0)),
  /** Greedy decoding instead of sampling (evaluation). */
  greedy: Schema.Boolean,
});
export type GenerationRequestMessage = typeof GenerationRequestMessage.Type;

export const GenerateMessage = compiledSchema(
  Schema.Struct({
    role: PolicyRole,
    /** Checkpoint blob of the policy to sample from. */
    policy: Sha256Hex,
    requests: Schema.Array(GenerationRequestMessage),
  }),
);
export type GenerateMessage = typeof GenerateMessage.Type;

export const GenerationMessage = Schema.Struct({
  text: Schema.String,
  tokens: Schema.Array(Schema.Int),
  /** Log-probs of the sampled tokens under the temperature-1 policy (GRPO's "old" log-probs). */
  logProbs: Schema.Array(Finite),
});
export type GenerationMessage = typeof GenerationMessage.Type;
export const GenerateReply = compiledSchema(Schema.Struct({ generations: Schema.Array(GenerationMessage) }));
export type GenerateReply = typeof GenerateReply.Type;

export const TrainingSequenceMessage = Schema.Struct({
  prompt: Schema.String,
  image: Schema.NullOr(Sha256Hex),
  tokens: Schema.Array(Schema.Int),
  oldLogProbs: Schema.Array(Finite),
  advantage: Finite,
});
export type TrainingSequenceMessage = typeof TrainingSequenceMessage.Type;

export const UpdateMessage = compiledSchema(
  Schema.Struct({
    role: PolicyRole,
    policy: Sha256Hex,
    /** Frozen reference for the KL term: the policy at the start of the phase. */
    reference: Sha256Hex,
    /** Optimizer state blob to continue from; null at the start of a phase. */
    optimizerState: Schema.NullOr(Sha256Hex),
    sequences: Schema.Array(TrainingSequenceMessage),
    /** The update's logical key (sequences arrive sorted by logical key). */
    key: Schema.Array(KeyPart),
    /** The run's GRPO and optimizer settings: any Trainer worker can serve any run. */
    grpo: GrpoConfig,
    optimizer: Schema.Struct({
      learningRate: Finite.check(Schema.isGreaterThan(0)),
      weightDecay: Finite.check(Schema.isGreaterThanOrEqualTo(0)),
      gradientClipNorm: Finite.check(Schema.isGreaterThan(0)),
      miniBatches: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
      /** Gradient threads per mini-batch (the run config's `optimizer.threads`); absent means 1. */
      threads: Schema.optionalKey(Schema.Literals([1, 2])),
    }),
  }),
);
export type UpdateMessage = typeof UpdateMessage.Type;

export const UpdateReply = compiledSchema(
  Schema.Struct({
    weightHash: Sha256Hex,
    checkpoint: Sha256Hex,
    optimizerState: Sha256Hex,
    loss: Finite,
    policyLoss: Finite,
    kl: Finite,
    clipFraction: Finite,
    gradNorm: Finite,
    tokenCount: Schema.Int,
  }),
);
export type UpdateReply = typeof UpdateReply.Type;

export const RenderMessage = compiledSchema(
  Schema.Struct({
    outputs: Schema.Array(Schema.String),
    size: Schema.Int.check(Schema.isBetween({ minimum: 8, maximum: 1024 })),
  }),
);
export type RenderMessage = typeof RenderMessage.Type;

export const RenderResultMessage = Schema.Union([
  Schema.Struct({
    kind: Schema.Literal("ok"),
    pixelHash: Sha256Hex,
    png: Sha256Hex,
    width: Schema.Int,
    height: Schema.Int,
  }),
  Schema.Struct({
    kind: Schema.Literal("failed"),
    outcome: payloads.RenderOutcomeKind,
    message: Schema.String,
    noCodeExtracted: Schema.Boolean,
    notSvgLike: Schema.Boolean,
  }),
]);
export type RenderResultMessage = typeof RenderResultMessage.Type;
export const RenderReply = compiledSchema(Schema.Struct({ results: Schema.Array(RenderResultMessage) }));
export type RenderReply = typeof RenderReply.Type;

/** A message that does not match its schema: rejected with the reason, never processed. */
export class MalformedMessageError extends Error {
  override readonly name = "MalformedMessageError";
  constructor(
    readonly subject: string,
    readonly reason: string,
  ) {
    super(`malformed message on "${subject}": ${reason}`);
  }
}

/** Decodes a bus message or throws MalformedMessageError naming the subject and the schema's reason. */
export function decodeMessage<S extends Schema.Top & { readonly DecodingServices: never }>(
  schema: S,
  subject: string,
  value: unknown,
): S["Type"] {
  try {
    return Schema.decodeUnknownSync(schema)(value);
  } catch (error) {
    throw new MalformedMessageError(subject, error instanceof Error ? error.message : String(error));
  }
}

/**
 * A message as it goes on the bus. Why no schema pass here: a message schema's encoded form is its
 * type (no transformations: the `Encoded` constraint below keeps it so), and every message is decoded
 * by its receiver at the boundary (the actor for a request, the requester for a reply), so checking
 * it on the way out as well validated each message twice for nothing.
 */
export function encodeMessage<S extends Schema.Top & { readonly Encoded: JsonValue }>(
  _schema: S,
  value: S["Type"] & S["Encoded"],
): JsonValue {
  return value;
}
