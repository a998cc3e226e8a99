import assert from "node:assert/strict";
import type { VisionLanguageModel } from "../gpu/index.ts";
import { responseTokensMax, worldRoleFormats, worldTextCodec } from "../policy/index.ts";
import { answersEquivalent, extractFinalAnswer, majorityVote } from "../rewards/index.ts";
import type { BenchmarkItem } from "../world/index.ts";
import { generateInBatches } from "./batched-generation.ts";
import { SceneImages } from "./images.ts";
import { analyseSelfConsistency, type BandSpan, type SelfConsistencyAnalysis } from "./self-consistency.ts";
import { type Proportion, proportion } from "./wilson.ts";

/**
 * The Solver on the public benchmark: greedy answers, and optionally the majority of k answers sampled
 * at temperature 1 or the given one (keyed draws: `(seed, "eval-sample", item id, firstSample + j)`), scored against the file's
 * answers with the loop's own extraction and equivalence. The prompt and image are what the loop feeds.
 */

export interface SolverEvaluationOptions {
  /** First key part of every sampled draw. */
  readonly seed: string;
  /** Answers sampled per item for the majority vote; 0 skips it. */
  readonly samples: number;
  /** Temperature of the sampled answers (default 1). */
  readonly temperature?: number;
  /**
   * Index of the first sampled answer in each item's keyed stream (default 0): answers j of a call are
   * the stream's `firstSample + j`, so calls at 0, k, 2k... draw disjoint, independent votes.
   */
  readonly firstSample?: number;
  /** Generated rows so far out of `rowsOf(items, samples)`. */
  readonly onRows?: (rows: number) => void;
  /** An item's image as RGBA; default its SVG rendered in-process (trusted benchmark scenes). */
  readonly imageOf?: (item: SolverItem) => Uint8Array;
}

/** What an item needs to be asked and scored (a benchmark item is one). */
export type SolverItem = Pick<BenchmarkItem, "id" | "svg" | "question" | "answer"> & {
  readonly content_type: string;
  readonly level: string;
  /** Composition size, where known (benchmark items; not a loop dataset's Proposer-written question). */
  readonly steps?: number;
};

export interface ItemResult {
  readonly id: string;
  readonly contentType: string;
  readonly level: string;
  /** null when the item does not say (see SolverItem). */
  readonly steps: number | null;
  readonly answer: string;
  readonly greedyAnswer: string;
  readonly greedyCorrect: boolean;
  /** null when no samples were drawn. */
  readonly majorityAnswer: string | null;
  readonly majorityCorrect: boolean | null;
  /** The majority bucket's share of the valid sampled answers; null when no samples were drawn. */
  readonly consistency: number | null;
}

/** Accuracy overall, per level and per content type, each with its 95% Wilson interval. */
export interface AccuracyBreakdown {
  readonly overall: Proportion;
  readonly byLevel: Readonly<Record<string, Proportion>>;
  readonly byContentType: Readonly<Record<string, Proportion>>;
}

export interface EvaluationSummary {
  readonly items: number;
  readonly greedy: AccuracyBreakdown;
  /** null when no samples were drawn. */
  readonly majority: AccuracyBreakdown | null;
  readonly samples: number;
  /** On hard items, whether the majority beats greedy (self-consistency.ts); null without samples. */
  readonly hardSelfConsistency: SelfConsistencyAnalysis | null;
}

/** The release's hard-consistency band, the one that selects the Solver's training items. */
export const releaseHardConsistencyBand: BandSpan = { minimum: 0.25, maximum: 0.75 };

/** Rows the evaluation generates: one greedy row per item plus `samples` sampled rows. */
export function rowsOf(items: number, samples: number): number {
  return items * (1 + samples);
}

export async function evaluateSolver(
  model: VisionLanguageModel,
  items: readonly SolverItem[],
  options: SolverEvaluationOptions,
): Promise<ItemResult[]> {
  assert(
    Number.isInteger(options.samples) && options.samples >= 0,
    `samples ${options.samples} must be a whole number`,
  );
  const firstSample = options.firstSample ?? 0;
  assert(
    Number.isInteger(firstSample) && firstSample >= 0,
    `firstSample ${firstSample} must be a whole number`,
  );
  const codec = worldTextCodec();
  const images = new SceneImages(model.config.imageSize);
  const rows = items.map((item) => ({
    prompt: codec.promptTokens(worldRoleFormats.solverPrompt(item.question)),
    image: options.imageOf === undefined ? images.rgba(item.svg) : options.imageOf(item),
  }));
  const maxNewTokens = responseTokensMax.solver;
  const greedy = await generateInBatches(
    model,
    rows.map((row, index) => ({ ...row, sampleKey: ["eval-greedy", items[index]!.id] })),
    {
      seed: options.seed,
      maxNewTokens,
      temperature: 1,
      greedy: true,
      onRows: (done) => options.onRows?.(done),
    },
  );
  const sampledRequests = rows.flatMap((row, index) =>
    Array.from({ length: options.samples }, (_, sample) => ({
      ...row,
      sampleKey: ["eval-sample", items[index]!.id, firstSample + sample],
    })),
  );
  const sampled = await generateInBatches(model, sampledRequests, {
    seed: options.seed,
    maxNewTokens,
    temperature: options.temperature ?? 1,
    greedy: false,
    onRows: (done) => options.onRows?.(items.length + done),
  });
  return items.map((item, index) => {
    const greedyAnswer = extractFinalAnswer(codec.responseText(greedy[index]!.tokens));
    const answers = sampled
      .slice(index * options.samples, (index + 1) * options.samples)
      .map((generation) => extractFinalAnswer(codec.responseText(generation.tokens)));
    const vote = options.samples === 0 ? null : majorityVote(answers);
    return {
      id: item.id,
      contentType: item.content_type,
      level: item.level,
      steps: item.steps ?? null,
      answer: item.answer,
      greedyAnswer,
      greedyCorrect: answersEquivalent(greedyAnswer, item.answer),
      majorityAnswer: vote === null ? null : vote.label,
      majorityCorrect:
        vote === null ? null : vote.validCount > 0 && answersEquivalent(vote.label, item.answer),
      consistency: vote === null ? null : vote.consistency,
    };
  });
}

function breakdown(
  results: readonly ItemResult[],
  correct: (result: ItemResult) => boolean,
): AccuracyBreakdown {
  const groups = (key: (result: ItemResult) => string) => {
    const tallies = new Map<string, { correct: number; total: number }>();
    for (const result of results) {
      const tally = tallies.get(key(result)) ?? { correct: 0, total: 0 };
      tally.total += 1;
      if (correct(result)) tally.correct += 1;
      tallies.set(key(result), tally);
    }
    const sorted = [...tallies].sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return Object.fromEntries(sorted.map(([name, tally]) => [name, proportion(tally.correct, tally.total)]));
  };
  return {
    overall: proportion(results.filter(correct).length, results.length),
    byLevel: groups((result) => result.level),
    byContentType: groups((result) => result.contentType),
  };
}

export function summariseEvaluation(results: readonly ItemResult[], samples: number): EvaluationSummary {
  return {
    items: results.length,
    samples,
    greedy: breakdown(results, (result) => result.greedyCorrect),
    majority: samples === 0 ? null : breakdown(results, (result) => result.majorityCorrect === true),
    hardSelfConsistency:
      samples === 0
        ? null
        : analyseSelfConsistency(
            results
              .filter((result) => result.level === "hard")
              .map((result) => ({
                greedyCorrect: result.greedyCorrect,
                majorityCorrect: result.majorityCorrect === true,
                consistency: result.consistency ?? 0,
              })),
            releaseHardConsistencyBand,
          ),
  };
}
