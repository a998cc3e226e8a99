/**
 * THE ORACLE IS FOR ANALYSIS ONLY. NEVER USE IT FOR REWARDS, FILTERS OR LABELS IN THE TRAINING LOOP.
 *
 * MM-Zero is zero-data self-evolution: every reward comes from the models themselves (Solver
 * consistency, renderability). The oracle knows the world's ground truth; a loop that consulted it
 * would be supervised learning in disguise and every result of the run would be void. It exists so a
 * run can *report* how often pseudo-labels, Proposer answers and Coder SVGs are actually right, and so
 * the benchmark has true answers.
 */
import { parseCaption, sceneSignature } from "./caption.ts";
import {
  type CaptionParseError,
  type Parsed,
  parsedFailure,
  parsedValue,
  type QuestionEvaluationError,
  type QuestionParseError,
} from "./errors.ts";
import { answerWord, evaluateQuestion } from "./evaluate.ts";
import { type Level, questionLevel, questionSteps } from "./question.ts";
import { parseQuestion } from "./question-text.ts";
import { readSvgScene } from "./svg-reader.ts";

export interface OracleAnswer {
  /** The true answer as a word ("5", "red", "yes"). */
  readonly answer: string;
  readonly level: Level;
  readonly steps: number;
}

export type OracleAnswerFailure = CaptionParseError | QuestionParseError | QuestionEvaluationError;

/** Analysis only (see the module comment): the true answer of a question about a caption's scene. */
export function oracleAnswer(caption: string, question: string): Parsed<OracleAnswer, OracleAnswerFailure> {
  const scene = parseCaption(caption);
  if (!scene.ok) return scene;
  const parsed = parseQuestion(question);
  if (!parsed.ok) return parsed;
  const evaluation = evaluateQuestion(scene.value, parsed.value);
  if (!evaluation.ok) return evaluation;
  return parsedValue({
    answer: answerWord(evaluation.value.answer),
    level: questionLevel(parsed.value),
    steps: questionSteps(parsed.value),
  });
}

export type Depiction = { readonly depicts: true } | { readonly depicts: false; readonly reason: string };

/**
 * Analysis only (see the module comment): whether the SVG draws exactly the caption's scene. The SVG is
 * read back into a scene of the caption's content type and the two signatures are compared. Fails only
 * when the caption itself is outside the grammar (then there is nothing to compare against).
 */
export function oracleDepicts(caption: string, svg: string): Parsed<Depiction, CaptionParseError> {
  const scene = parseCaption(caption);
  if (!scene.ok) return parsedFailure(scene.error);
  const drawn = readSvgScene(svg, scene.value.contentType);
  if (!drawn.ok) return parsedValue({ depicts: false, reason: drawn.error.reason });
  const expected = sceneSignature(scene.value);
  const actual = sceneSignature(drawn.value);
  return parsedValue(
    expected === actual
      ? { depicts: true }
      : { depicts: false, reason: `the SVG draws "${actual}", not "${expected}"` },
  );
}
