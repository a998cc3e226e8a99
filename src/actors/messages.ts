import { Schema } from "effect";
import { PolicyRole, payloads, Sha256Hex } from "../events/index.ts";
import { GrpoConfig } from "../rewards/index.ts";

/**
 * Work messages on the bus, as Effect schemas: every message is decoded on arrival, so a malformed
 * one is rejected with the schema's reason instead of reaching a model. Types derive from here.
 */

const KeyPart = Schema.Union([Schema.String, Schema.Int]);
const Finite = Schema.Finite;

export const GenerationRequestMessage = Schema.Struct({
  key: Schema.Array(KeyPart),
  prompt: Schema.String,
  image: Schema.NullOr(Sha256Hex),
  temperature: Finite.check(Schema.isGreaterThan(0)),
  greedy: Schema.Boolean,
});

export const GenerateMessage = Schema.Struct({
  role: PolicyRole,
  /** Checkpoint blob of the policy to sample from. */
  policy: Sha256Hex,
  requests: Schema.Array(GenerationRequestMessage),
});
export type GenerateMessage = typeof GenerateMessage.Type;

export const GenerationMessage = Schema.Struct({
  text: Schema.String,
  tokens: Schema.Array(Schema.Int),
  logProbs: Schema.Array(Finite),
});
export const GenerateReply = Schema.Struct({ generations: Schema.Array(GenerationMessage) });
export type GenerateReply = typeof GenerateReply.Type;

export const TrainingSequenceMessage = Schema.Struct({
  prompt: Schema.String,
  image: Schema.NullOr(Sha256Hex),
  tokens: Schema.Array(Schema.Int),
  oldLogProbs: Schema.Array(Finite),
  advantage: Finite,
});

export const UpdateMessage = Schema.Struct({
  role: PolicyRole,
  policy: Sha256Hex,
  reference: Sha256Hex,
  optimizerState: Schema.NullOr(Sha256Hex),
  sequences: Schema.Array(TrainingSequenceMessage),
  key: Schema.Array(KeyPart),
  grpo: GrpoConfig,
  optimizer: Schema.Struct({
    learningRate: Finite.check(Schema.isGreaterThan(0)),
    weightDecay: Finite.check(Schema.isGreaterThanOrEqualTo(0)),
    gradientClipNorm: Finite.check(Schema.isGreaterThan(0)),
    miniBatches: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
  }),
});
export type UpdateMessage = typeof UpdateMessage.Type;

export const UpdateReply = Schema.Struct({
  weightHash: Sha256Hex,
  checkpoint: Sha256Hex,
  optimizerState: Sha256Hex,
  loss: Finite,
  policyLoss: Finite,
  kl: Finite,
  clipFraction: Finite,
  gradNorm: Finite,
  tokenCount: Schema.Int,
});
export type UpdateReply = typeof UpdateReply.Type;

export const RenderMessage = Schema.Struct({
  outputs: Schema.Array(Schema.String),
  size: Schema.Int.check(Schema.isBetween({ minimum: 8, maximum: 1024 })),
});
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
export const RenderReply = Schema.Struct({ results: Schema.Array(RenderResultMessage) });
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
