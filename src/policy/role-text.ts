import type { PolicyRole } from "../events/index.ts";
import { Tokenizer } from "../gpu/index.ts";
import {
  proposalText,
  proposerPromptText,
  solverPromptText,
  type Topic,
  topics,
  worldVocabulary,
} from "../world/index.ts";

/**
 * How the roles' texts become model tokens, shared by pretraining and the loop so the base model
 * is trained on exactly what the loop will feed it: a prompt is BOS + its tokens, a response is its
 * tokens + EOS, and a generated response's text is its tokens up to (not including) EOS.
 */

/** Why these budgets: the world's longest outputs (docs/world.md) plus headroom for the policy to wander. */
export const responseTokensMax: Readonly<Record<PolicyRole, number>> = {
  proposer: 56,
  coder: 72,
  solver: 16,
};

export class RoleTextCodec {
  constructor(readonly tokenizer: Tokenizer) {}

  /**
   * Prompts are rebuilt from earlier outputs (a Coder prompt from a parsed proposal), which may hold
   * text outside the vocabulary (an invalid content type normalised to "other", tags inside a field):
   * those characters are skipped, deterministically. Responses are always encoded exactly.
   */
  promptTokens(text: string): number[] {
    return [this.tokenizer.bosId, ...this.tokenizer.encodeSkipping(text).tokens];
  }

  responseTokens(text: string): number[] {
    return [...this.tokenizer.encode(text), this.tokenizer.eosId];
  }

  /** The text of generated tokens: everything before EOS (pad never appears in returned tokens). */
  responseText(tokens: readonly number[]): string {
    const end = tokens.indexOf(this.tokenizer.eosId);
    return this.tokenizer.decode(end === -1 ? tokens : tokens.slice(0, end));
  }
}

let worldCodec: RoleTextCodec | undefined;

/** The codec over the simulated world's closed vocabulary. */
export function worldTextCodec(): RoleTextCodec {
  worldCodec ??= new RoleTextCodec(new Tokenizer(worldVocabulary()));
  return worldCodec;
}

function isTopic(value: string): value is Topic {
  return (topics as readonly string[]).includes(value);
}

/** The roles' prompts in the world's language (src/world/prompts.ts). */
export const worldRoleFormats = {
  topics,
  proposerPrompt(topic: string): string {
    if (!isTopic(topic)) throw new Error(`"${topic}" is not one of the world's topics`);
    return proposerPromptText(topic);
  },
  coderPrompt: proposalText,
  solverPrompt: solverPromptText,
};
