/**
 * Final answers: extraction from a Solver response, normalisation, equivalence and non-answers.
 *
 * Equivalence is defined as equality of canonical forms, so it is reflexive, symmetric and transitive
 * by construction; buckets in the majority vote are then true equivalence classes and do not depend
 * on the order of the samples. The release grades with mathruler's `grade_answer` in both directions;
 * the subset implemented here (case, whitespace, decimal numerals, spelled numbers zero..twenty) is what
 * the world grammar produces. See docs/rewards.md for what mathruler does beyond it.
 */
import { collapseWhitespace, stripWhitespace } from "./text.ts";

/** What the release's extractor returns when a response has no complete `\boxed{...}`. */
export const missingAnswer = "None";

const boxedOpening = "\\boxed{";

/**
 * The content of the last `\boxed{` in `response`, up to its balancing `}`, stripped; "None" when there
 * is no `\boxed{` or the last one is never closed (mathruler's `extract_boxed_content`).
 */
export function extractFinalAnswer(response: string): string {
  const start = response.lastIndexOf(boxedOpening);
  if (start < 0) return missingAnswer;
  const contentStart = start + boxedOpening.length;
  let depth = 0;
  for (let index = contentStart; index < response.length; index += 1) {
    const character = response[index];
    if (character === "{") depth += 1;
    else if (character === "}") {
      depth -= 1;
      if (depth === -1) return stripWhitespace(response.slice(contentStart, index));
    }
  }
  return missingAnswer;
}

/** Lower-cased answers the judging service treats as "no answer" (they leave count and denominator). */
export const nonAnswers: ReadonlySet<string> = new Set(["", "none", "n/a", "na", "null", "unknown", "-"]);

/** True for an empty answer or one of {@link nonAnswers} in any case, surrounding whitespace ignored. */
export function isNonAnswer(answer: string): boolean {
  return nonAnswers.has(stripWhitespace(answer).toLowerCase());
}

const spelledNumbers: readonly string[] = [
  "zero",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
  "thirteen",
  "fourteen",
  "fifteen",
  "sixteen",
  "seventeen",
  "eighteen",
  "nineteen",
  "twenty",
];
const spelledNumberValues: ReadonlyMap<string, string> = new Map(
  spelledNumbers.map((word, value) => [word, String(value)]),
);

const decimalPattern = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/**
 * Canonical decimal text: no leading zeros in the integer part, no trailing zeros in the fraction, no
 * "+" and no negative zero ("03" -> "3", "3.0" -> "3", ".50" -> "0.5", "-0.0" -> "0"). Textual rather
 * than through `Number`, so long numerals stay exact. Undefined when `text` is not a decimal numeral.
 */
function canonicalDecimal(text: string): string | undefined {
  const match = decimalPattern.exec(text);
  if (match === null) return undefined;
  const sign = match[1] ?? "";
  const integerDigits = match[2] ?? "";
  const fractionDigits = match[3] ?? "";
  if (integerDigits.length === 0 && fractionDigits.length === 0) return undefined;
  const integerPart = integerDigits.replace(/^0+/, "") || "0";
  const fractionPart = fractionDigits.replace(/0+$/, "");
  const magnitude = fractionPart.length > 0 ? `${integerPart}.${fractionPart}` : integerPart;
  return sign === "-" && magnitude !== "0" ? `-${magnitude}` : magnitude;
}

/**
 * The canonical form two equivalent answers share: trimmed, lower-cased, inner whitespace collapsed to
 * single spaces, a decimal numeral written canonically and a spelled number zero..twenty as digits.
 * Idempotent: normalising a canonical form returns it unchanged.
 */
export function normaliseAnswer(answer: string): string {
  const collapsed = collapseWhitespace(answer.toLowerCase());
  return spelledNumberValues.get(collapsed) ?? canonicalDecimal(collapsed) ?? collapsed;
}

/** Symmetric answer equivalence: equal canonical forms ({@link normaliseAnswer}). */
export function answersEquivalent(first: string, second: string): boolean {
  return normaliseAnswer(first) === normaliseAnswer(second);
}
