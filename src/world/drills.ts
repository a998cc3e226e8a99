/**
 * Arithmetic drills: text-only Solver examples that teach the atomic steps of the step-wise workings
 * (one operation on two numbers, one comparison of two numbers) at every position a composition's
 * workings reach. The question is a chain of literal numbers (`5 minus 3 plus 7`, `5 minus 3 more 7`),
 * outside the question grammar on purpose: no drill is a visual composition, so compositions of 4-6
 * steps over the image stay for the loop to learn. The image is a blank canvas, so a drill row has the
 * same slots as an image question and its steps land where a composition's do.
 */
import type { KeyedRandom } from "../rng/index.ts";
import { type WorkingsToken, workingsSpellable } from "./evaluate.ts";
import { type Comparator, comparators, type Operator } from "./question.ts";
import { drawBetween, drawOne } from "./scene-sampler.ts";

export interface Drill {
  /** The question's words, e.g. `5 minus 3 more 7`. */
  readonly question: string;
  readonly workings: readonly WorkingsToken[];
  readonly answer: number | "yes" | "no";
}

/** A blank 32x32 canvas: drills read nothing from the image. */
export const drillSvg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"></svg>';

/** Why these weights: chains of 1-3 operations cover the steps of compositions of up to 4 terms. */
const operationCountWeights = [0.45, 0.35, 0.2];
const comparisonProbability = 0.3;
const overProbability = 0.15;
const attemptsMax = 64;

/**
 * A number a question's term can read: mostly a bar value or a count (0-12), sometimes a sum
 * (`total`: up to 54), as in the world's scenes.
 */
function drawOperand(random: KeyedRandom): number {
  const draw = random.nextUniform();
  if (draw < 0.8) return drawBetween(random, 0, 9);
  if (draw < 0.93) return drawBetween(random, 10, 15);
  return drawBetween(random, 16, 54);
}

/** A divisor of `value` (value != 0), or undefined when only 1 and itself are usable. */
function drawDivisor(random: KeyedRandom, value: number): number | undefined {
  const magnitude = Math.abs(value);
  const divisors: number[] = [];
  for (let candidate = 1; candidate <= Math.min(magnitude, 12); candidate++)
    if (magnitude % candidate === 0) divisors.push(candidate);
  return divisors.length === 0 ? undefined : drawOne(random, divisors);
}

interface Chain {
  readonly words: string[];
  readonly workings: WorkingsToken[];
  readonly value: number;
}

function drawChain(random: KeyedRandom, operations: number): Chain {
  let value = drawOperand(random);
  const words = [String(value)];
  const workings: WorkingsToken[] = [value];
  for (let index = 0; index < operations; index++) {
    const divisor =
      random.nextUniform() < overProbability && value !== 0 ? drawDivisor(random, value) : undefined;
    const operator: Operator = divisor !== undefined ? "over" : random.nextUniform() < 0.5 ? "plus" : "minus";
    const operand = divisor ?? drawOperand(random);
    value = operator === "over" ? value / operand : operator === "plus" ? value + operand : value - operand;
    words.push(operator, String(operand));
    workings.push(operator, operand, value);
  }
  return { words, workings, value };
}

function comparedWord(left: number, comparator: Comparator, right: number): "yes" | "no" {
  const holds = comparator === "more" ? left > right : comparator === "less" ? left < right : left === right;
  return holds ? "yes" : "no";
}

function drawDrillOnce(random: KeyedRandom): Drill {
  const operations = random.nextCategorical(operationCountWeights) + 1;
  if (random.nextUniform() >= comparisonProbability) {
    const chain = drawChain(random.fork("chain"), operations);
    return { question: chain.words.join(" "), workings: chain.workings, answer: chain.value };
  }
  // A comparison spends its operations on two sides; "equal" is asked about equal sides half the time,
  // so its yes answers are not rare.
  const leftOperations = random.nextInt(Math.min(operations, 2));
  const left = drawChain(random.fork("left"), leftOperations);
  const comparator = drawOne(random, comparators);
  let right = drawChain(random.fork("right"), Math.min(operations - 1 - leftOperations, 2));
  if (comparator === "equal" && random.nextUniform() < 0.5 && right.workings.length === 1)
    right = { words: [String(left.value)], workings: [left.value], value: left.value };
  return {
    question: [...left.words, comparator, ...right.words].join(" "),
    workings: [...left.workings, comparator, ...right.workings],
    answer: comparedWord(left.value, comparator, right.value),
  };
}

/** One drill whose every number (reads, results, answer) is a world number word; bounded redraws. */
export function drawDrill(random: KeyedRandom): Drill {
  for (let attempt = 0; attempt < attemptsMax; attempt++) {
    const drill = drawDrillOnce(random.fork("attempt", attempt));
    const answerSpellable = typeof drill.answer !== "number" || workingsSpellable([drill.answer]);
    if (workingsSpellable(drill.workings) && answerSpellable) return drill;
  }
  // Operands are small: measured, under 1% of first attempts leave the range, so this never fails.
  throw new Error(`no drill in the world's number range after ${attemptsMax} attempts`);
}
