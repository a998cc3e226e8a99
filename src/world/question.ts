/**
 * The question grammar's abstract syntax and its step count (how many perception and computation
 * steps an answer takes). Easy questions take one step; hard ones are compositions of several.
 */
import type { Colour, Shape } from "./lexicon.ts";

/** One condition an item must meet to be counted. */
export type Condition =
  | { readonly kind: "colour"; readonly colour: Colour }
  | { readonly kind: "shape"; readonly shape: Shape }
  | { readonly kind: "row"; readonly index: number }
  | { readonly kind: "column"; readonly index: number }
  /** The item's measure (bar value, node links) is greater than the threshold. */
  | { readonly kind: "above"; readonly threshold: number }
  | { readonly kind: "below"; readonly threshold: number };

/** A number read or counted from the image. */
export type Term =
  /** data_chart: the value of the bar of this colour. */
  | { readonly kind: "value"; readonly colour: Colour }
  /** diagram: how many links touch the node of this colour. */
  | { readonly kind: "links"; readonly colour: Colour }
  /** Items meeting every condition; no conditions ("all") counts every item. */
  | { readonly kind: "count"; readonly conditions: readonly Condition[] }
  /** diagram: the number of links. */
  | { readonly kind: "edges" }
  /** data_chart, diagram: the sum, largest or smallest measure. */
  | { readonly kind: "aggregate"; readonly aggregate: Aggregate };

export const aggregates = ["total", "max", "min"] as const;
export type Aggregate = (typeof aggregates)[number];
export const operators = ["plus", "minus", "over"] as const;
export type Operator = (typeof operators)[number];
export const comparators = ["more", "less", "equal"] as const;
export type Comparator = (typeof comparators)[number];

/** Terms joined by operators, evaluated strictly left to right ("over" is exact division). */
export interface Expression {
  readonly first: Term;
  readonly rest: readonly { readonly operator: Operator; readonly term: Term }[];
}

/** Which item an attribute question is about. */
export type Selector =
  | { readonly kind: "position"; readonly position: number }
  | { readonly kind: "cell"; readonly row: number; readonly column: number }
  /** The item with the largest or smallest measure (must be unique). */
  | { readonly kind: "extreme"; readonly extreme: "max" | "min" }
  /** The most or least frequent attribute value among items meeting the conditions (must be unique). */
  | { readonly kind: "mode"; readonly mode: "most" | "fewest"; readonly conditions: readonly Condition[] };

export type Question =
  | { readonly kind: "number"; readonly expression: Expression }
  | {
      readonly kind: "compare";
      readonly left: Expression;
      readonly comparator: Comparator;
      readonly right: Expression;
    }
  | { readonly kind: "attribute"; readonly attribute: "colour" | "shape"; readonly selector: Selector };

export type Level = "easy" | "hard";

/** Conditions that need a second look (where an item is, how big it is) rather than what kind it is. */
function conditionSteps(conditions: readonly Condition[]): number {
  return conditions.filter((condition) => condition.kind !== "colour" && condition.kind !== "shape").length;
}

function termSteps(term: Term): number {
  switch (term.kind) {
    case "value":
    case "links":
    case "edges":
      return 1;
    case "count":
      return 1 + conditionSteps(term.conditions);
    case "aggregate":
      return 2;
  }
}

function expressionSteps(expression: Expression): number {
  return expression.rest.reduce(
    (steps, { term }) => steps + 1 + termSteps(term),
    termSteps(expression.first),
  );
}

function selectorSteps(selector: Selector): number {
  switch (selector.kind) {
    case "position":
    case "cell":
      return 1;
    case "extreme":
      return 2;
    case "mode":
      return 2 + conditionSteps(selector.conditions);
  }
}

/**
 * Steps to answer: a term reads or counts one kind (1), a positional or size condition adds 1, an
 * aggregate, extreme or most/fewest compares all items (2), every operator or comparator adds 1.
 */
export function questionSteps(question: Question): number {
  switch (question.kind) {
    case "number":
      return expressionSteps(question.expression);
    case "compare":
      return expressionSteps(question.left) + 1 + expressionSteps(question.right);
    case "attribute":
      return selectorSteps(question.selector);
  }
}

/** Easy questions take one perception step (read one value, count one kind, name one colour). */
export function questionLevel(question: Question): Level {
  return questionSteps(question) === 1 ? "easy" : "hard";
}

/** The terms of the question in reading order (what a Solver's reasoning trace reads). */
export function questionTerms(question: Question): Term[] {
  const terms = (expression: Expression) => [expression.first, ...expression.rest.map(({ term }) => term)];
  switch (question.kind) {
    case "number":
      return terms(question.expression);
    case "compare":
      return [...terms(question.left), ...terms(question.right)];
    case "attribute":
      return [];
  }
}
