import { extractSvg } from "../render/index.ts";
import { answersEquivalent } from "../rewards/index.ts";
import { oracleAnswer, oracleDepicts } from "../world/index.ts";

/**
 * ANALYSIS ONLY. The report asks the world's oracle (src/world/oracle.ts) how often the loop's
 * self-made labels and pictures are actually right. Nothing here may feed back into training: the
 * report reads a finished log and only describes it.
 */

/** "unknown": the oracle has no answer (caption or question outside the grammar, or no answer on the scene). */
export type AnswerVerdict =
  | { readonly verdict: "correct" | "wrong"; readonly truth: string }
  | { readonly verdict: "unknown"; readonly reason: string };

/** Whether `answer` is the true answer of `question` about the scene `caption` specifies. */
export function answerVerdict(caption: string, question: string, answer: string): AnswerVerdict {
  const truth = oracleAnswer(caption, question);
  if (!truth.ok) return { verdict: "unknown", reason: truth.error.message };
  return {
    verdict: answersEquivalent(answer, truth.value.answer) ? "correct" : "wrong",
    truth: truth.value.answer,
  };
}

export type DepictionVerdict =
  | { readonly verdict: "depicts" }
  | { readonly verdict: "differs"; readonly reason: string }
  | { readonly verdict: "unknown"; readonly reason: string };

/**
 * Whether a Coder output draws exactly the caption's scene. The SVG is found the way the renderer
 * finds it (src/render extractSvg), so the check sees what was rendered.
 */
export function depictionVerdict(caption: string, coderOutput: string): DepictionVerdict {
  const extracted = extractSvg(coderOutput);
  const depiction = oracleDepicts(caption, extracted.kind === "code" ? extracted.code : coderOutput);
  if (!depiction.ok) return { verdict: "unknown", reason: depiction.error.message };
  return depiction.value.depicts
    ? { verdict: "depicts" }
    : { verdict: "differs", reason: depiction.value.reason };
}
