/**
 * Typed failures of the world's parsers and evaluator. They are expected outcomes (a Proposer writes
 * captions and questions outside the grammar all the time), so parsers return them as values inside a
 * {@link Parsed} result instead of throwing.
 */

/** The result of a parser or evaluator: a value, or the reason it has none. */
export type Parsed<Value, Failure extends Error> =
  | { readonly ok: true; readonly value: Value }
  | { readonly ok: false; readonly error: Failure };

export function parsedValue<Value>(value: Value): { readonly ok: true; readonly value: Value } {
  return { ok: true, value };
}

export function parsedFailure<Failure extends Error>(
  error: Failure,
): { readonly ok: false; readonly error: Failure } {
  return { ok: false, error };
}

/** A caption that is not in the world grammar (docs/world.md, "Captions"). */
export class CaptionParseError extends Error {
  override readonly name = "CaptionParseError";
  readonly caption: string;
  /** Index of the offending word in the whitespace-split caption (the word count when input ended early). */
  readonly wordIndex: number;
  readonly reason: string;

  constructor(caption: string, wordIndex: number, reason: string) {
    super(
      `caption ${JSON.stringify(caption)} at word ${wordIndex}: ${reason}. ` +
        "Only captions of the world grammar (docs/world.md) describe a scene.",
    );
    this.caption = caption;
    this.wordIndex = wordIndex;
    this.reason = reason;
  }
}

/** A question that is not in the world's question grammar (docs/world.md, "Questions"). */
export class QuestionParseError extends Error {
  override readonly name = "QuestionParseError";
  readonly question: string;
  readonly wordIndex: number;
  readonly reason: string;

  constructor(question: string, wordIndex: number, reason: string) {
    super(
      `question ${JSON.stringify(question)} at word ${wordIndex}: ${reason}. ` +
        "Only questions of the world grammar (docs/world.md) have an oracle answer.",
    );
    this.question = question;
    this.wordIndex = wordIndex;
    this.reason = reason;
  }
}

/** An SVG that does not draw a scene of the world in its canonical layout. */
export class SvgSceneError extends Error {
  override readonly name = "SvgSceneError";
  readonly reason: string;

  constructor(reason: string) {
    super(
      `the SVG does not draw a world scene: ${reason}. The layouts the reader accepts are in docs/world.md.`,
    );
    this.reason = reason;
  }
}

/** Why a well-formed question has no answer on a given scene. */
export type EvaluationFailureKind =
  /** The question uses a term the content type lacks (a shape in a bar chart, a value in a table). */
  | "not-applicable"
  /** It names an item the scene does not have (the value of a colour with no bar, position 7 of 4). */
  | "absent"
  /** An extreme or a most/fewest is shared by several items, so no single answer exists. */
  | "tie"
  /** A most/fewest over a condition no item meets. */
  | "empty"
  /** A division ("over") that is not exact, or divides by zero. */
  | "not-whole"
  /** The answer is a number the vocabulary cannot spell. */
  | "out-of-range";

export class QuestionEvaluationError extends Error {
  override readonly name = "QuestionEvaluationError";
  readonly kind: EvaluationFailureKind;
  readonly detail: string;

  constructor(kind: EvaluationFailureKind, detail: string) {
    super(`the question has no answer on this scene (${kind}): ${detail}`);
    this.kind = kind;
    this.detail = detail;
  }
}
