import assert from "node:assert/strict";
import type { VisionLanguageModel } from "../gpu/index.ts";
import { responseTokensMax, worldRoleFormats, worldTextCodec } from "../policy/index.ts";
import { extractSvg, type RenderPool } from "../render/index.ts";
import { answersEquivalent, parseProposal } from "../rewards/index.ts";
import { corpusExample, oracleAnswer, oracleDepicts, parseCaption, topics } from "../world/index.ts";
import { generateInBatches } from "./batched-generation.ts";
import { type Proportion, proportion } from "./wilson.ts";

/**
 * What the Proposer and the Coder can do: sampled at temperature 1, as the loop samples them. The
 * oracle is used here for ANALYSIS only (docs/world.md §9): it reports how often outputs are right,
 * and never feeds training.
 */

export interface ProposerNumbers {
  /** parseProposal finds all five required fields (the loop's format check). */
  readonly formatValid: Proportion;
  /** Of all samples: the caption is in the world's grammar. */
  readonly captionValid: Proportion;
  /** Of all samples: the easy / hard answer is the oracle's answer for the caption. */
  readonly easyAnswerRight: Proportion;
  readonly hardAnswerRight: Proportion;
}

export interface CoderNumbers {
  /** The output renders through the sandboxed pool (the Coder's reward gate). */
  readonly renders: Proportion;
  /** The extracted SVG draws exactly the prompt's caption (oracle). */
  readonly depictsCaption: Proportion;
}

export interface RoleNumbersOptions {
  readonly seed: string;
  readonly samples: number;
  readonly onRows?: (rows: number) => void;
}

function answerRight(caption: string, question: string, answer: string): boolean {
  const truth = oracleAnswer(caption, question);
  return truth.ok && answersEquivalent(truth.value.answer, answer);
}

/** `samples` proposals, topics in turn, each drawn with key (seed, "eval-proposer", i). */
export async function proposerNumbers(
  model: VisionLanguageModel,
  options: RoleNumbersOptions,
): Promise<ProposerNumbers> {
  const codec = worldTextCodec();
  const requests = Array.from({ length: options.samples }, (_, index) => ({
    prompt: codec.promptTokens(worldRoleFormats.proposerPrompt(topics[index % topics.length]!)),
    sampleKey: ["eval-proposer", index],
  }));
  const generations = await generateInBatches(model, requests, {
    seed: options.seed,
    maxNewTokens: responseTokensMax.proposer,
    temperature: 1,
    greedy: false,
    ...(options.onRows === undefined ? {} : { onRows: options.onRows }),
  });
  const parses = generations.map((generation) => parseProposal(codec.responseText(generation.tokens)));
  const proposals = parses.flatMap((parse) => (parse.ok ? [parse.proposal] : []));
  const count = (test: (proposal: (typeof proposals)[number]) => boolean) => proposals.filter(test).length;
  return {
    formatValid: proportion(proposals.length, options.samples),
    captionValid: proportion(
      count((proposal) => parseCaption(proposal.caption).ok),
      options.samples,
    ),
    easyAnswerRight: proportion(
      count((proposal) => answerRight(proposal.caption, proposal.easyQuestion, proposal.easyAnswer)),
      options.samples,
    ),
    hardAnswerRight: proportion(
      count((proposal) => answerRight(proposal.caption, proposal.hardQuestion, proposal.hardAnswer)),
      options.samples,
    ),
  };
}

/**
 * `samples` Coder outputs for proposals the corpus generator draws under `seed` (so with a seed other
 * than the pretraining one, proposals the base has not seen), key (seed, "eval-coder", i).
 */
export async function coderNumbers(
  model: VisionLanguageModel,
  pool: RenderPool,
  options: RoleNumbersOptions,
): Promise<CoderNumbers> {
  const codec = worldTextCodec();
  const proposals = Array.from({ length: options.samples }, (_, index) => {
    const example = corpusExample(options.seed, "coder", index);
    assert(example.role === "coder", "a coder corpus example");
    return example.proposal;
  });
  const generations = await generateInBatches(
    model,
    proposals.map((proposal, index) => ({
      prompt: codec.promptTokens(worldRoleFormats.coderPrompt(proposal)),
      sampleKey: ["eval-coder", index],
    })),
    {
      seed: options.seed,
      maxNewTokens: responseTokensMax.coder,
      temperature: 1,
      greedy: false,
      ...(options.onRows === undefined ? {} : { onRows: options.onRows }),
    },
  );
  const outputs = generations.map((generation) => codec.responseText(generation.tokens));
  const outcomes = await Promise.all(
    outputs.map((output) => pool.render(output, { size: model.config.imageSize })),
  );
  const depicts = outputs.filter((output, index) => {
    const extraction = extractSvg(output);
    if (extraction.kind !== "code") return false;
    const depiction = oracleDepicts(proposals[index]!.caption, extraction.code);
    return depiction.ok && depiction.value.depicts;
  }).length;
  return {
    renders: proportion(outcomes.filter((outcome) => outcome.kind === "ok").length, options.samples),
    depictsCaption: proportion(depicts, options.samples),
  };
}
