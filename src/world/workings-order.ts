/**
 * The order in which the Solver's step-wise workings read the terms of a question.
 *   question  the question's own reading order (the evaluator's workings, unchanged);
 *   shuffled  a keyed-random valid order per example: the signed terms of each side of plus/minus in any
 *             order whose first term is added (a side starts with a read, not an operation) and whose
 *             intermediate results stay spellable, and a comparison's right side first (mirrored
 *             comparator) half the time.
 * Why: with one fixed order and nearly independent steps, greedy decoding already returns every step's
 * mode, so the mode of sampled answers is greedy's answer and a majority vote cannot beat it by
 * construction (docs/learning.md §5c). Trained on several valid orders, the Solver samples different
 * reasoning paths at T = 1, and its context-dependent misreads and slips can differ between paths: the
 * condition under which self-consistency beats greedy decoding.
 * Sides holding `over` keep the question's order (left-to-right division does not commute with the
 * other terms), and so do selectors and single reads, whose workings are one read or none.
 */
import type { KeyedRandom } from "../rng/index.ts";
import { type Evaluation, type WorkingsToken, workingsSpellable } from "./evaluate.ts";
import type { Comparator, Operator } from "./question.ts";

export const solverWorkingsOrders = ["question", "shuffled"] as const;
export type SolverWorkingsOrder = (typeof solverWorkingsOrders)[number];

type Sign = Extract<Operator, "plus" | "minus">;

interface SignedTerm {
  readonly sign: Sign;
  readonly value: number;
}

const mirroredComparator: Readonly<Record<Comparator, Comparator>> = {
  more: "less",
  less: "more",
  equal: "equal",
};

function isComparator(token: WorkingsToken): token is Comparator {
  return token === "more" || token === "less" || token === "equal";
}

/**
 * The signed terms of one side's workings (`a op b r op c r ...`), or undefined when the side cannot be
 * reordered (it divides, or is not of that shape).
 */
function signedTerms(side: readonly WorkingsToken[]): SignedTerm[] | undefined {
  const first = side[0];
  if (typeof first !== "number" || (side.length - 1) % 3 !== 0) return undefined;
  const terms: SignedTerm[] = [{ sign: "plus", value: first }];
  for (let index = 1; index < side.length; index += 3) {
    const operator = side[index];
    const operand = side[index + 1];
    if ((operator !== "plus" && operator !== "minus") || typeof operand !== "number") return undefined;
    terms.push({ sign: operator, value: operand });
  }
  return terms;
}

/** Workings of signed terms read in this order (the first term is added to nothing: it is a read). */
function termsWorkings(terms: readonly SignedTerm[]): WorkingsToken[] {
  const [first, ...rest] = terms;
  if (first === undefined) return [];
  let value = first.value;
  const workings: WorkingsToken[] = [value];
  for (const term of rest) {
    value = term.sign === "plus" ? value + term.value : value - term.value;
    workings.push(term.sign, term.value, value);
  }
  return workings;
}

/** All permutations of [0, size) in lexicographic order (size <= 6 in the world: at most 720). */
function permutations(size: number): number[][] {
  if (size === 0) return [[]];
  const result: number[][] = [];
  for (const tail of permutations(size - 1)) {
    for (let position = 0; position <= tail.length; position++) {
      result.push([...tail.slice(0, position), size - 1, ...tail.slice(position)]);
    }
  }
  return result.sort((a, b) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return 0;
  });
}

/** One side's workings in a keyed-random valid order (the question's order is one of the candidates). */
function shuffledSide(side: readonly WorkingsToken[], random: KeyedRandom): WorkingsToken[] {
  const terms = signedTerms(side);
  if (terms === undefined || terms.length < 2) return [...side];
  const candidates: WorkingsToken[][] = [];
  for (const order of permutations(terms.length)) {
    const ordered = order.map((index) => terms[index]!);
    if (ordered[0]!.sign !== "plus") continue;
    const workings = termsWorkings(ordered);
    if (workingsSpellable(workings)) candidates.push(workings);
  }
  // The question's own order is always a candidate (the corpus only writes spellable workings); the
  // fallback keeps unspellable input as it was rather than inventing an order.
  if (candidates.length === 0) return [...side];
  return candidates[random.nextInt(candidates.length)]!;
}

/**
 * Workings rewritten in a keyed-random valid order: a pure function of (workings, key). Replaying the
 * result left to right gives the same answer, and it reads a permutation of the same numbers.
 */
export function shuffledWorkings(workings: readonly WorkingsToken[], random: KeyedRandom): WorkingsToken[] {
  const comparatorIndex = workings.findIndex(isComparator);
  if (comparatorIndex < 0) return shuffledSide(workings, random.fork("side"));
  const comparator = workings[comparatorIndex];
  if (comparator === undefined || !isComparator(comparator)) return [...workings];
  const left = shuffledSide(workings.slice(0, comparatorIndex), random.fork("left"));
  const right = shuffledSide(workings.slice(comparatorIndex + 1), random.fork("right"));
  // Why half: both sides first are equally valid paths; `equal` mirrors to itself.
  const mirror = random.fork("mirror").nextUniform() < 0.5;
  return mirror ? [...right, mirroredComparator[comparator], ...left] : [...left, comparator, ...right];
}

/** The numbers a workings reads, in its order: each side's first token and every operand. */
export function workingsReads(workings: readonly WorkingsToken[]): number[] {
  const reads: number[] = [];
  let sideStart = 0;
  workings.forEach((token, index) => {
    if (isComparator(token)) {
      sideStart = index + 1;
      return;
    }
    if (typeof token !== "number") return;
    const offset = index - sideStart;
    // A side is `read (op read result)*`: reads sit at offset 0 and at 2, 5, 8, ...
    if (offset === 0 || offset % 3 === 2) reads.push(token);
  });
  return reads;
}

/**
 * The evaluation with its workings (and, for numeric and yes/no answers, its trace of reads) in the
 * given order. Attribute answers keep their trace: it holds a winning measure, not the terms read.
 */
export function orderedEvaluation(
  evaluation: Evaluation,
  order: SolverWorkingsOrder,
  random: KeyedRandom,
): Evaluation {
  if (order === "question" || evaluation.workings.length < 2) return evaluation;
  const workings = shuffledWorkings(evaluation.workings, random);
  return { answer: evaluation.answer, trace: workingsReads(workings), workings };
}
