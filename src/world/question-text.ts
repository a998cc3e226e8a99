/**
 * Questions as text: printing an AST to words and parsing words back (recursive descent, one word of
 * look-ahead). Grammar (docs/world.md, "Questions"):
 *   question   := "colour" selector | "shape" selector | expression [comparator expression]
 *   expression := term { ("plus" | "minus" | "over") term }
 *   comparator := "more" | "less" | "equal"
 *   term       := "value" COLOUR | "links" COLOUR | "count" ("all" | condition+) | "edges"
 *               | "total" | "max" | "min"
 *   condition  := COLOUR | SHAPE | "row" N | "column" N | "above" N | "below" N
 *   selector   := "position" N | "row" N "column" N | "max" | "min" | ("most" | "fewest") condition*
 */
import { type Parsed, parsedFailure, parsedValue, QuestionParseError } from "./errors.ts";
import { type Colour, isColour, isShape, parseNumberWord, textWords, wordToken } from "./lexicon.ts";
import {
  type Aggregate,
  aggregates,
  type Comparator,
  type Condition,
  comparators,
  type Expression,
  type Operator,
  operators,
  type Question,
  type Selector,
  type Term,
} from "./question.ts";

/** Why a cap: a proposal must stay near 48 tokens; no question of the grammar needs more words. */
export const questionWordsMax = 12;

/** Every non-colour, non-shape, non-number word questions use (for the vocabulary). */
export const questionKeywords = [
  "value",
  "links",
  "count",
  "all",
  "edges",
  ...aggregates,
  ...operators,
  ...comparators,
  "colour",
  "shape",
  "position",
  "row",
  "column",
  "most",
  "fewest",
  "above",
  "below",
] as const;

function conditionWords(condition: Condition): string[] {
  switch (condition.kind) {
    case "colour":
      return [condition.colour];
    case "shape":
      return [condition.shape];
    case "row":
    case "column":
      return [condition.kind, String(condition.index)];
    case "above":
    case "below":
      return [condition.kind, String(condition.threshold)];
  }
}

function termWords(term: Term): string[] {
  switch (term.kind) {
    case "value":
    case "links":
      return [term.kind, term.colour];
    case "count":
      return term.conditions.length === 0
        ? ["count", "all"]
        : ["count", ...term.conditions.flatMap(conditionWords)];
    case "edges":
      return ["edges"];
    case "aggregate":
      return [term.aggregate];
  }
}

function expressionWords(expression: Expression): string[] {
  return [
    ...termWords(expression.first),
    ...expression.rest.flatMap(({ operator, term }) => [operator, ...termWords(term)]),
  ];
}

function selectorWords(selector: Selector): string[] {
  switch (selector.kind) {
    case "position":
      return ["position", String(selector.position)];
    case "cell":
      return ["row", String(selector.row), "column", String(selector.column)];
    case "extreme":
      return [selector.extreme];
    case "mode":
      return [selector.mode, ...selector.conditions.flatMap(conditionWords)];
  }
}

export function questionWords(question: Question): string[] {
  switch (question.kind) {
    case "number":
      return expressionWords(question.expression);
    case "compare":
      return [...expressionWords(question.left), question.comparator, ...expressionWords(question.right)];
    case "attribute":
      return [question.attribute, ...selectorWords(question.selector)];
  }
}

export function questionTokens(question: Question): string[] {
  return questionWords(question).map(wordToken);
}

/** The question's text (tokens joined; starts with a space). */
export function questionText(question: Question): string {
  return questionTokens(question).join("");
}

/** Thrown inside the parser only; {@link parseQuestion} turns it into a failure value. */
class Mismatch extends Error {
  override readonly name = "Mismatch";
  constructor(
    readonly wordIndex: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const aggregateSet: ReadonlySet<string> = new Set(aggregates);
const operatorSet: ReadonlySet<string> = new Set(operators);
const comparatorSet: ReadonlySet<string> = new Set(comparators);
const conditionStarts: ReadonlySet<string> = new Set(["row", "column", "above", "below"]);

function isAggregate(word: string): word is Aggregate {
  return aggregateSet.has(word);
}
function isOperator(word: string): word is Operator {
  return operatorSet.has(word);
}
function isComparator(word: string): word is Comparator {
  return comparatorSet.has(word);
}

class QuestionReader {
  private index = 0;
  constructor(private readonly words: readonly string[]) {}

  get atEnd(): boolean {
    return this.index >= this.words.length;
  }

  peek(): string | undefined {
    return this.words[this.index];
  }

  next(expected: string): string {
    const word = this.words[this.index];
    if (word === undefined) throw new Mismatch(this.index, `expected ${expected}, the question ended`);
    this.index += 1;
    return word;
  }

  fail(reason: string, offset = 0): never {
    throw new Mismatch(this.index + offset, reason);
  }

  colour(): Colour {
    const word = this.next("a colour");
    return isColour(word) ? word : this.fail(`"${word}" is not a colour`, -1);
  }

  /** A whole number; `positive` for row, column and position indices (they count from 1). */
  number(positive: boolean): number {
    const value = parseNumberWord(this.next("a number"));
    if (value === undefined || (positive && value < 1))
      this.fail(positive ? "expected a number >= 1" : "expected a number", -1);
    return value;
  }

  condition(): Condition | undefined {
    const word = this.peek();
    if (word === undefined) return undefined;
    if (isColour(word) || isShape(word)) this.index += 1;
    if (isColour(word)) return { kind: "colour", colour: word };
    if (isShape(word)) return { kind: "shape", shape: word };
    if (!conditionStarts.has(word)) return undefined;
    this.index += 1;
    if (word === "row" || word === "column") return { kind: word, index: this.number(true) };
    return word === "above"
      ? { kind: "above", threshold: this.number(false) }
      : { kind: "below", threshold: this.number(false) };
  }

  conditions(): Condition[] {
    const found: Condition[] = [];
    for (let condition = this.condition(); condition !== undefined; condition = this.condition())
      found.push(condition);
    return found;
  }

  term(): Term {
    const word = this.next("a term (value, links, count, edges, total, max, min)");
    if (word === "value" || word === "links") return { kind: word, colour: this.colour() };
    if (word === "edges") return { kind: "edges" };
    if (isAggregate(word)) return { kind: "aggregate", aggregate: word };
    if (word !== "count") return this.fail(`"${word}" does not start a term`, -1);
    if (this.peek() === "all") {
      this.index += 1;
      return { kind: "count", conditions: [] };
    }
    const conditions = this.conditions();
    return conditions.length > 0
      ? { kind: "count", conditions }
      : this.fail('"count" needs "all" or a condition');
  }

  expression(): Expression {
    const first = this.term();
    const rest: { operator: Operator; term: Term }[] = [];
    for (let word = this.peek(); word !== undefined && isOperator(word); word = this.peek()) {
      this.index += 1;
      rest.push({ operator: word, term: this.term() });
    }
    return { first, rest };
  }

  selector(): Selector {
    const word = this.next("a selector (position, row, max, min, most, fewest)");
    if (word === "position") return { kind: "position", position: this.number(true) };
    if (word === "max" || word === "min") return { kind: "extreme", extreme: word };
    if (word === "most" || word === "fewest")
      return { kind: "mode", mode: word, conditions: this.conditions() };
    if (word !== "row") return this.fail(`"${word}" does not start a selector`, -1);
    const row = this.number(true);
    if (this.next('"column"') !== "column") this.fail('expected "column"', -1);
    return { kind: "cell", row, column: this.number(true) };
  }

  question(): Question {
    const word = this.peek();
    if (word === "colour" || word === "shape") {
      this.index += 1;
      return { kind: "attribute", attribute: word, selector: this.selector() };
    }
    const left = this.expression();
    const comparator = this.peek();
    if (comparator === undefined || !isComparator(comparator)) return { kind: "number", expression: left };
    this.index += 1;
    return { kind: "compare", left, comparator, right: this.expression() };
  }
}

/** Parses a question (case and whitespace free) to its AST, or says where it leaves the grammar. */
export function parseQuestion(question: string): Parsed<Question, QuestionParseError> {
  const words = textWords(question);
  if (words.length > questionWordsMax) {
    return parsedFailure(
      new QuestionParseError(question, questionWordsMax, `more than ${questionWordsMax} words`),
    );
  }
  const reader = new QuestionReader(words);
  try {
    const parsed = reader.question();
    if (!reader.atEnd) reader.fail(`unexpected "${reader.peek()}"`);
    return parsedValue(parsed);
  } catch (error) {
    if (error instanceof Mismatch)
      return parsedFailure(new QuestionParseError(question, error.wordIndex, error.reason));
    throw error;
  }
}
