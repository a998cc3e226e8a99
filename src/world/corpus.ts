/**
 * The seeded pretraining corpus: the "internet" the base model learns the world from. Three kinds of
 * examples, each a pure function of (seed, role, index):
 *   proposer  topic -> six-field proposal; the hard slot holds an easy question 60% of the time and a
 *             simple (2-3 step) composition otherwise, so the loop has room to grow;
 *   coder     proposal -> fenced SVG of its caption's scene;
 *   solver    image (SVG) + question -> `<think> ... </think>\boxed{ ...}`; 90% easy questions, 10% simple
 *             (2-3 step) compositions: a weak prior for hard questions, as a real pretrained model has.
 * Every scene comes from the corpus partition (partition.ts), so no benchmark scene ever appears here.
 * The exact distribution is documented in docs/world.md, "Pretraining corpus".
 */
import assert from "node:assert/strict";
import { type KeyedRandom, type KeyPart, keyedRandom } from "../rng/index.ts";
import { captionText } from "./caption.ts";
import { drawDrill, drillSvg } from "./drills.ts";
import { answerWord } from "./evaluate.ts";
import type { WorldContentType } from "./lexicon.ts";
import { worldContentTypes } from "./lexicon.ts";
import { sampleSceneIn } from "./partition.ts";
import {
  type ProposalFields,
  proposalText,
  proposerPromptText,
  solverPromptText,
  type Topic,
  topicContentTypeWeights,
  topics,
} from "./prompts.ts";
import { type Level, questionSteps } from "./question.ts";
import {
  type GeneratedQuestion,
  type HardQuestionLimits,
  sampleEasyQuestion,
  sampleHardQuestion,
} from "./question-sampler.ts";
import { questionText } from "./question-text.ts";
import type { Scene } from "./scene.ts";
import { type SolverTraceStyle, solverAnswerText, solverAnswerWritable } from "./solver-answer.ts";
import { coderAnswerTokens, sceneSvg } from "./svg-writer.ts";
import { orderedEvaluation, type SolverWorkingsOrder } from "./workings-order.ts";

export interface CorpusOptions {
  /** Share of Solver examples with a hard (multi-step) question. Default 0.1. */
  readonly solverHardFraction: number;
  /** Share of proposals whose hard slot holds a real composition (else an easy question). Default 0.4. */
  readonly proposalHardFraction: number;
  /** Hard questions of the corpus: simple compositions only. */
  readonly hardLimits: HardQuestionLimits;
  /** How the Solver's `<think>` block is written (solver-answer.ts). Default "reads". */
  readonly solverTraceStyle: SolverTraceStyle;
  /** Share of Solver examples that are text-only arithmetic drills (drills.ts). Default 0. */
  readonly solverDrillFraction: number;
  /**
   * The order in which a Solver example's workings read the question's terms (workings-order.ts).
   * Absent means "question": every corpus written before the option keeps its exact examples.
   */
  readonly solverWorkingsOrder?: SolverWorkingsOrder;
}

export const defaultCorpusOptions: CorpusOptions = {
  solverHardFraction: 0.1,
  proposalHardFraction: 0.4,
  hardLimits: { stepsMin: 2, stepsMax: 3, termsMax: 2, wordsMax: 8 },
  solverTraceStyle: "reads",
  solverDrillFraction: 0,
};

/**
 * The corpus of the step-wise base (docs/learning.md): half the Solver's examples easy reads, 30% simple
 * compositions (2-3 steps, at most 2 terms) written step by step, 20% arithmetic drills; compositions of
 * 4-6 steps over the image never appear, so they stay for the loop.
 */
export const stepwiseCorpusOptions: CorpusOptions = {
  ...defaultCorpusOptions,
  solverHardFraction: 0.3,
  solverTraceStyle: "workings",
  solverDrillFraction: 0.2,
};

/**
 * The step-wise corpus with compositions of up to 3 terms (up to 6 steps, 10 words) in the Solver's hard
 * share, so the base has seen workings as long as most benchmark items need; 4-term compositions and
 * 11-12 word questions stay for the loop.
 */
export const stepwiseLongCorpusOptions: CorpusOptions = {
  ...stepwiseCorpusOptions,
  solverHardFraction: 0.35,
  hardLimits: { stepsMin: 2, stepsMax: 6, termsMax: 3, wordsMax: 10 },
};

/**
 * The `stepwise-long` corpus with each hard example's workings in a keyed-random valid order: the same
 * scenes, questions and answers (the order's draws come from their own fork), so the Solver sees several
 * reasoning paths to one answer and can sample different ones (docs/learning.md, issue 13).
 */
export const stepwisePathsCorpusOptions: CorpusOptions = {
  ...stepwiseLongCorpusOptions,
  solverWorkingsOrder: "shuffled",
};

/**
 * The `stepwise-long` corpus whose proposals always hold a composition (2-6 steps) in the hard slot:
 * measured in the loop, 56% of the Solver's "hard" dataset items were single reads, because the base
 * Proposer learned an easy question there 60% of the time (docs/learning.md E10). The Solver's examples
 * are `stepwise-long`'s exactly (their draws do not depend on the proposals').
 */
export const stepwiseComposeCorpusOptions: CorpusOptions = {
  ...stepwiseLongCorpusOptions,
  proposalHardFraction: 1,
};

export interface CorpusCounts {
  readonly proposer: number;
  readonly coder: number;
  readonly solver: number;
}

export type CorpusRole = keyof CorpusCounts;
export const corpusRoles: readonly CorpusRole[] = ["proposer", "coder", "solver"];

interface ExampleBase {
  readonly index: number;
  readonly contentType: WorldContentType;
  /** What the role reads (text; the Solver also sees `svg` rendered). */
  readonly prompt: string;
  /** What the role should write. */
  readonly target: string;
}

export interface ProposerExample extends ExampleBase {
  readonly role: "proposer";
  readonly topic: Topic;
  readonly proposal: ProposalFields;
}

export interface CoderExample extends ExampleBase {
  readonly role: "coder";
  /** The proposal the prompt spells. */
  readonly proposal: ProposalFields;
  readonly caption: string;
  readonly svg: string;
}

export interface SolverExample extends ExampleBase {
  readonly role: "solver";
  readonly caption: string;
  /** The image, as SVG source; rendering is the renderer's job. */
  readonly svg: string;
  readonly question: string;
  readonly answer: string;
  readonly level: Level;
  readonly steps: number;
}

export type CorpusExample = ProposerExample | CoderExample | SolverExample;

/** Question and answer as trimmed words (the form a parsed proposal field has). */
function plainText(spaced: string): string {
  return spaced.trim();
}

function drawTopicContentType(random: KeyedRandom): { topic: Topic; contentType: WorldContentType } {
  const topic = topics[random.nextInt(topics.length)]!;
  const weights = worldContentTypes.map((contentType) => topicContentTypeWeights[topic][contentType]);
  return { topic, contentType: worldContentTypes[random.nextCategorical(weights)]! };
}

/** A second easy question, different from the first when the scene allows (bounded tries). */
function secondEasyQuestion(random: KeyedRandom, scene: Scene, first: GeneratedQuestion): GeneratedQuestion {
  const firstText = questionText(first.question);
  let candidate = sampleEasyQuestion(random.fork(0), scene);
  for (let attempt = 1; attempt < 8 && questionText(candidate.question) === firstText; attempt++) {
    candidate = sampleEasyQuestion(random.fork(attempt), scene);
  }
  return candidate;
}

function sampleProposal(random: KeyedRandom, options: CorpusOptions) {
  const { topic, contentType } = drawTopicContentType(random);
  const scene = sampleSceneIn(random.fork("scene"), contentType, "corpus");
  const easy = sampleEasyQuestion(random.fork("easy"), scene);
  const hard =
    random.nextUniform() < options.proposalHardFraction
      ? sampleHardQuestion(random.fork("hard"), scene, options.hardLimits)
      : secondEasyQuestion(random.fork("hard-as-easy"), scene, easy);
  const proposal: ProposalFields = {
    contentType,
    caption: plainText(captionText(scene)),
    easyQuestion: plainText(questionText(easy.question)),
    easyAnswer: answerWord(easy.evaluation.answer),
    hardQuestion: plainText(questionText(hard.question)),
    hardAnswer: answerWord(hard.evaluation.answer),
  };
  return { topic, contentType, scene, proposal };
}

function proposerExample(random: KeyedRandom, index: number, options: CorpusOptions): ProposerExample {
  const { topic, contentType, proposal } = sampleProposal(random, options);
  return {
    role: "proposer",
    index,
    contentType,
    topic,
    proposal,
    prompt: proposerPromptText(topic),
    target: proposalText(proposal),
  };
}

function coderExample(random: KeyedRandom, index: number, options: CorpusOptions): CoderExample {
  const { contentType, scene, proposal } = sampleProposal(random, options);
  const svg = sceneSvg(scene);
  const target = coderAnswerTokens(scene).join("");
  const prompt = proposalText(proposal);
  return { role: "coder", index, contentType, proposal, caption: proposal.caption, svg, prompt, target };
}

/** A drill as a Solver example (content type kept from the draw so the role's mix stays uniform). */
function drillExample(random: KeyedRandom, index: number, contentType: WorldContentType): SolverExample {
  const drill = drawDrill(random.fork("drill"));
  return {
    role: "solver",
    index,
    contentType,
    caption: "",
    svg: drillSvg,
    question: drill.question,
    answer: answerWord(drill.answer),
    level: "hard",
    steps: drill.workings.filter((token) => typeof token !== "number").length,
    prompt: solverPromptText(drill.question),
    target: solverAnswerText({ answer: drill.answer, trace: [], workings: drill.workings }, "workings"),
  };
}

/** A hard question whose answer the trace style can write (workings may hold an unspellable step). */
function writableHardQuestion(random: KeyedRandom, scene: Scene, options: CorpusOptions): GeneratedQuestion {
  let generated = sampleHardQuestion(random, scene, options.hardLimits);
  for (let redraw = 1; !solverAnswerWritable(generated.evaluation, options.solverTraceStyle); redraw++) {
    assert(redraw < 64, "no writable hard question after 64 redraws");
    generated = sampleHardQuestion(random.fork("redraw", redraw), scene, options.hardLimits);
  }
  return generated;
}

function solverExample(random: KeyedRandom, index: number, options: CorpusOptions): SolverExample {
  const contentType = worldContentTypes[random.nextInt(worldContentTypes.length)]!;
  // Drawn only when drills are on, so the default corpus keeps its exact draws.
  if (options.solverDrillFraction > 0 && random.fork("drill?").nextUniform() < options.solverDrillFraction)
    return drillExample(random, index, contentType);
  const scene = sampleSceneIn(random.fork("scene"), contentType, "corpus");
  const hard = random.nextUniform() < options.solverHardFraction;
  const generated = hard
    ? writableHardQuestion(random.fork("question"), scene, options)
    : sampleEasyQuestion(random.fork("question"), scene);
  const question = plainText(questionText(generated.question));
  const steps = questionSteps(generated.question);
  // Its own fork: the order's draws never shift the scene's, the question's or the next example's.
  const evaluation = orderedEvaluation(
    generated.evaluation,
    options.solverWorkingsOrder ?? "question",
    random.fork("workings-order"),
  );
  return {
    role: "solver",
    index,
    contentType,
    caption: plainText(captionText(scene)),
    svg: sceneSvg(scene),
    question,
    answer: answerWord(generated.evaluation.answer),
    level: steps === 1 ? "easy" : "hard",
    steps,
    prompt: solverPromptText(question),
    target: solverAnswerText(evaluation, options.solverTraceStyle),
  };
}

/** Example `index` of a role: random access, independent of every other example. */
export function corpusExample(
  seed: KeyPart,
  role: CorpusRole,
  index: number,
  options: CorpusOptions = defaultCorpusOptions,
): CorpusExample {
  assert(Number.isSafeInteger(index) && index >= 0, `corpus index ${index} must be a whole number >= 0`);
  const random = keyedRandom(seed, "world-corpus", role, index);
  switch (role) {
    case "proposer":
      return proposerExample(random, index, options);
    case "coder":
      return coderExample(random, index, options);
    case "solver":
      return solverExample(random, index, options);
  }
}

/**
 * The corpus: `counts[role]` examples per role, interleaved round-robin (proposer 0, coder 0, solver 0,
 * proposer 1, ...; a role stops once its count is reached).
 */
export function* pretrainingCorpus(
  seed: KeyPart,
  counts: CorpusCounts,
  options: CorpusOptions = defaultCorpusOptions,
): Generator<CorpusExample> {
  for (const role of corpusRoles) {
    assert(
      Number.isSafeInteger(counts[role]) && counts[role] >= 0,
      `${role} count ${counts[role]} must be >= 0`,
    );
  }
  const longest = Math.max(...corpusRoles.map((role) => counts[role]));
  for (let index = 0; index < longest; index++) {
    for (const role of corpusRoles) {
      if (index < counts[role]) yield corpusExample(seed, role, index, options);
    }
  }
}
