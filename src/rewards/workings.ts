/**
 * The Solver's step-wise workings read back from a response, for the `requireConsistentWorkings`
 * deviation (docs/learning.md E11, E13). Grammar of the `workings` trace style (src/world/solver-answer.ts):
 *   side (comparator side)?      side = number (operator number number)*
 * where each operation is followed by the result the response wrote for it (`5 minus 3 2 plus 7 9`),
 * and a selector's workings are the single number counted before a colour or shape answer. Only the
 * response's own tokens are read: no scene, no oracle. Pure.
 */

const operatorWords: ReadonlySet<string> = new Set(["plus", "minus", "over"]);
const comparatorWords: ReadonlySet<string> = new Set(["more", "less", "equal"]);

export interface Workings {
  /** Operations in order, the comparator among them. */
  readonly ops: readonly string[];
  /** The values read, in order (the first of each side, then each operation's operand). */
  readonly reads: readonly number[];
  /** The result written after each arithmetic operation, in order. */
  readonly written: readonly number[];
}

/** Whether a word is one of the workings' arithmetic operators. */
export function isWorkingsOperator(word: string): boolean {
  return operatorWords.has(word);
}

/** The words of a response's first `<think>` block; null when it has none. */
export function workingsWords(response: string): string[] | null {
  const think = /<think>(.*?)<\/think>/s.exec(response);
  if (think === null) return null;
  const trimmed = think[1]!.trim();
  return trimmed.length === 0 ? [] : trimmed.split(/\s+/);
}

/** A whole number as the world spells it ("05", "+5" and "-0" are not spellings). */
function numberOf(word: string | undefined): number | undefined {
  return word !== undefined && /^(0|-?[1-9][0-9]*)$/.test(word) ? Number(word) : undefined;
}

/** A response's workings; null when it has none or they do not follow the grammar. */
export function parseWorkings(response: string): Workings | null {
  const words = workingsWords(response);
  return words === null ? null : parsedWords(words);
}

/**
 * How many operations (arithmetic steps and comparisons) a response works through: 0 for a single read
 * or a selector's count, 0 when it has no parsable workings (it shows no composition).
 */
export function workingsOperations(response: string): number {
  return parseWorkings(response)?.ops.length ?? 0;
}

/** The workings these `<think>` words spell; null when they do not follow the grammar. */
function parsedWords(words: readonly string[]): Workings | null {
  const ops: string[] = [];
  const reads: number[] = [];
  const written: number[] = [];
  let index = 0;
  const nextNumber = () => numberOf(words[index++]);
  const side = (): boolean => {
    const first = nextNumber();
    if (first === undefined) return false;
    reads.push(first);
    while (index < words.length && operatorWords.has(words[index]!)) {
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
    if (!comparatorWords.has(words[index]!)) return null;
    ops.push(words[index++]!);
    if (!side()) return null;
  }
  return index === words.length ? { ops, reads, written } : null;
}

/** One arithmetic step as the world computes it; null where an `over` is inexact. */
function applied(value: number, operator: string, operand: number): number | null {
  if (operator === "plus") return value + operand;
  if (operator === "minus") return value - operand;
  return operand !== 0 && value % operand === 0 ? value / operand : null;
}

/**
 * Walks the operations over `reads` left to right; `step` may veto each arithmetic result (given its
 * index among the arithmetic operations). The answer word, or null where a step is inexact or vetoed.
 */
function walk(
  ops: readonly string[],
  reads: readonly number[],
  step: (result: number, index: number) => boolean,
): string | null {
  let position = 0;
  let value: number | null = reads[position++]!;
  let left: number | null = null;
  let comparator: string | null = null;
  let arithmetic = 0;
  for (const op of ops) {
    if (comparatorWords.has(op)) {
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
  return walk(ops, reads, () => true);
}

/**
 * Whether a response's workings are arithmetically self-consistent (each written result is its
 * operation's) and lead to `answer`, the response's extracted final answer. Workings with nothing to
 * compute (none, for a colour or shape read directly; one number, for a selector) are consistent with
 * a colour or shape answer, and one number with itself. Workings that do not parse are not consistent.
 */
export function workingsConsistent(response: string, answer: string): boolean {
  const final = answer.trim();
  const answersWord = numberOf(final) === undefined && final !== "yes" && final !== "no";
  const words = workingsWords(response);
  if (words === null) return false;
  if (words.length === 0) return answersWord;
  const workings = parsedWords(words);
  if (workings === null) return false;
  const { ops, reads, written } = workings;
  if (ops.length === 0) return answersWord || numberOf(final) === reads[0];
  return walk(ops, reads, (result, index) => result === written[index]) === final;
}
