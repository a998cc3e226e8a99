// Whether a Solver response's step-wise workings are arithmetically self-consistent and lead to its
// boxed answer (no oracle: only the response's own tokens). Workings grammar (src/world/evaluate.ts):
// `a (op b result)* [comparator c (op d result)*]`; a selector's workings are one number before a
// colour or shape answer, which has nothing to check.
import { extractFinalAnswer } from "../../src/rewards/index.ts";
import { parseNumberWord } from "../../src/world/index.ts";
import { workingsWords } from "./generated.ts";

const operators = new Set(["plus", "minus", "over"]);
const comparators = new Set(["more", "less", "equal"]);

export function workingsConsistent(response: string): boolean {
  const words = workingsWords(response);
  const answer = extractFinalAnswer(response).trim();
  if (words === null || words.length === 0) return false;
  let index = 0;
  const number = (): number | undefined =>
    index < words.length ? parseNumberWord(words[index++]!) : undefined;
  /** One side: its value, or undefined when a step is wrong or does not parse. */
  const side = (): number | undefined => {
    let value = number();
    if (value === undefined) return undefined;
    while (index < words.length && operators.has(words[index]!)) {
      const operator = words[index++]!;
      const operand = number();
      const written = number();
      if (operand === undefined || written === undefined) return undefined;
      const exact: number | undefined =
        operator === "plus"
          ? value + operand
          : operator === "minus"
            ? value - operand
            : operand !== 0 && value % operand === 0
              ? value / operand
              : undefined;
      if (exact !== written) return undefined;
      value = written;
    }
    return value;
  };
  const left = side();
  if (left === undefined) return false;
  if (index === words.length) {
    const numeric = parseNumberWord(answer);
    // A selector names a colour or shape from one measure: nothing to check.
    return numeric === undefined
      ? words.length === 1 && answer !== "yes" && answer !== "no"
      : numeric === left;
  }
  const comparator = words[index++]!;
  if (!comparators.has(comparator)) return false;
  const right = side();
  if (right === undefined || index !== words.length) return false;
  const holds = comparator === "more" ? left > right : comparator === "less" ? left < right : left === right;
  return answer === (holds ? "yes" : "no");
}
