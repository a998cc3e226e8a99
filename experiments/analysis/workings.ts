// The Solver's step-wise workings as the analyses read them, one parser for all of them. Grammar
// (src/world/evaluate.ts): `a (op b result)* [comparator c (op d result)*]`; a selector's workings are
// one number before a colour or shape answer. Only the response's own tokens are read: no oracle.
import { extractFinalAnswer } from "../../src/rewards/index.ts";
import { parseNumberWord } from "../../src/world/index.ts";
import { workingsWords } from "./generated.ts";

export const operators: ReadonlySet<string> = new Set(["plus", "minus", "over"]);
const comparators: ReadonlySet<string> = new Set(["more", "less", "equal"]);

export interface Workings {
  /** The operation sequence, comparator included, joined by spaces. */
  readonly shape: string;
  /** Operations in order, the comparator among them. */
  readonly ops: readonly string[];
  /** The values read, in order (the first of each side, then each operation's operand). */
  readonly reads: readonly number[];
  /** The result written after each arithmetic operation, in order. */
  readonly written: readonly number[];
}

/** A response's workings; null when it has none or they do not parse. */
export function parseWorkings(response: string): Workings | null {
  const words = workingsWords(response);
  if (words === null) return null;
  const ops: string[] = [];
  const reads: number[] = [];
  const written: number[] = [];
  let index = 0;
  const nextNumber = () => (index < words.length ? parseNumberWord(words[index++]!) : undefined);
  const side = (): boolean => {
    const first = nextNumber();
    if (first === undefined) return false;
    reads.push(first);
    while (index < words.length && operators.has(words[index]!)) {
      ops.push(words[index++]!);
      const operand = nextNumber();
      const result = nextNumber();
      if (operand === undefined || result === undefined) return false;
      reads.push(operand);
      written.push(result);
    }
    return true;
  };
  if (!side()) return null;
  if (index < words.length) {
    if (!comparators.has(words[index]!)) return null;
    ops.push(words[index++]!);
    if (!side()) return null;
  }
  return index === words.length ? { shape: ops.join(" "), ops, reads, written } : null;
}

/** One arithmetic step as the world computes it; null where an `over` is inexact. */
function applied(value: number, operator: string, operand: number): number | null {
  if (operator === "plus") return value + operand;
  if (operator === "minus") return value - operand;
  return operand !== 0 && value % operand === 0 ? value / operand : null;
}

/**
 * Walks the operations over `reads` left to right; `step` may veto each arithmetic result (its index
 * among the arithmetic operations). The answer word, or null where a step is inexact or vetoed.
 */
function walk(
  ops: readonly string[],
  reads: readonly number[],
  step: (result: number, index: number) => boolean = () => true,
): string | null {
  let position = 0;
  let value: number | null = reads[position++]!;
  let left: number | null = null;
  let comparator: string | null = null;
  let arithmetic = 0;
  for (const op of ops) {
    if (comparators.has(op)) {
      left = value;
      comparator = op;
      value = reads[position++]!;
      continue;
    }
    const operand = reads[position++]!;
    if (value === null) return null;
    value = applied(value, op, operand);
    if (value === null || !step(value, arithmetic++)) return null;
  }
  if (value === null || (comparator !== null && left === null)) return null;
  if (comparator === null) return String(value);
  const holds =
    comparator === "more" ? left! > value : comparator === "less" ? left! < value : left === value;
  return holds ? "yes" : "no";
}

/** The answer the operations give on these reads (voted reads, say); null where an `over` is inexact. */
export function replayWorkings(ops: readonly string[], reads: readonly number[]): string | null {
  return walk(ops, reads);
}

/**
 * Whether a response's workings are arithmetically self-consistent (each written result is its
 * operation's) and lead to its boxed answer. A selector (one number, then a colour or shape) has
 * nothing to check; workings that do not parse are not consistent.
 */
export function workingsConsistent(response: string): boolean {
  const workings = parseWorkings(response);
  if (workings === null) return false;
  const answer = extractFinalAnswer(response).trim();
  const { ops, reads, written } = workings;
  if (ops.length === 0) {
    const numeric = parseNumberWord(answer);
    return numeric === undefined ? answer !== "yes" && answer !== "no" : numeric === reads[0];
  }
  return walk(ops, reads, (result, index) => result === written[index]) === answer;
}
