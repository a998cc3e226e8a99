/**
 * The question evaluator: the true answer of a question on a scene, with the numbers a careful reader
 * notes on the way (the trace the Solver's <think> block spells). Pure; used by the generators (to
 * label what they generate) and by the oracle (analysis only, never rewards).
 */
import assert from "node:assert/strict";
import {
  type EvaluationFailureKind,
  type Parsed,
  parsedFailure,
  parsedValue,
  QuestionEvaluationError,
} from "./errors.ts";
import { type SceneItem, sceneItems } from "./items.ts";
import { type Colour, isSpellableNumber, type Shape } from "./lexicon.ts";
import type { Comparator, Condition, Expression, Operator, Question, Selector, Term } from "./question.ts";
import type { Scene } from "./scene.ts";

/** A short answer: a whole number or one word (colour, shape, yes, no). */
export type Answer = number | Colour | Shape | "yes" | "no";

/** One token of the step-wise workings: a number read or computed, or the operation applied next. */
export type WorkingsToken = number | Operator | Comparator;

export interface Evaluation {
  readonly answer: Answer;
  /** One number per term in reading order; for max/min and most/fewest the winning measure or count. */
  readonly trace: readonly number[];
  /**
   * The step-wise workings: the numbers of `trace` with every operation written out and followed by its
   * result (`5 minus 3 2 plus 7 9`), and a comparison's comparator between its two sides
   * (`5 minus 3 2 more 7`). Each token after the first read is then one atomic step computed from the
   * tokens just before it. Intermediate results may leave the spellable range; such workings cannot
   * be written (see `workingsSpellable`).
   */
  readonly workings: readonly WorkingsToken[];
}

/** Whether every number of the workings is one of the world's number words. */
export function workingsSpellable(workings: readonly WorkingsToken[]): boolean {
  return workings.every((token) => typeof token !== "number" || isSpellableNumber(token));
}

/** One step of left-to-right arithmetic; throws NoAnswer for an inexact `over`. */
function applied(value: number, operator: Operator, operand: number): number {
  if (operator === "plus") return value + operand;
  if (operator === "minus") return value - operand;
  if (operand === 0 || value % operand !== 0) throw new NoAnswer("not-whole", `${value} over ${operand}`);
  return value / operand;
}

/** Thrown inside the evaluator only; {@link evaluateQuestion} turns it into a failure value. */
class NoAnswer extends Error {
  override readonly name = "NoAnswer";
  constructor(
    readonly kind: EvaluationFailureKind,
    readonly detail: string,
  ) {
    super(detail);
  }
}

function requireItems(items: readonly SceneItem[], has: (item: SceneItem) => boolean, what: string): void {
  if (items.length === 0 || !items.every(has))
    throw new NoAnswer("not-applicable", `this content type has no ${what}`);
}

function meets(item: SceneItem, condition: Condition): boolean {
  switch (condition.kind) {
    case "colour":
      return item.colour === condition.colour;
    case "shape":
      return item.shape === condition.shape;
    case "row":
      return item.row === condition.index;
    case "column":
      return item.column === condition.index;
    case "above":
      return (item.measure ?? 0) > condition.threshold;
    case "below":
      return (item.measure ?? 0) < condition.threshold;
  }
}

function conditionAttribute(condition: Condition): [(item: SceneItem) => boolean, string] {
  switch (condition.kind) {
    case "colour":
      return [() => true, "colours"];
    case "shape":
      return [(item) => item.shape !== undefined, "shapes"];
    case "row":
    case "column":
      return [(item) => item.row !== undefined, "rows and columns"];
    case "above":
    case "below":
      return [(item) => item.measure !== undefined, "values or links"];
  }
}

function filtered(items: readonly SceneItem[], conditions: readonly Condition[]): SceneItem[] {
  for (const condition of conditions) requireItems(items, ...conditionAttribute(condition));
  return items.filter((item) => conditions.every((condition) => meets(item, condition)));
}

function measures(items: readonly SceneItem[]): number[] {
  requireItems(items, (item) => item.measure !== undefined, "values or links");
  return items.map((item) => item.measure ?? 0);
}

function termValue(scene: Scene, items: readonly SceneItem[], term: Term): number {
  switch (term.kind) {
    case "value":
    case "links": {
      const expected = term.kind === "value" ? "data_chart" : "diagram";
      if (scene.contentType !== expected)
        throw new NoAnswer("not-applicable", `"${term.kind}" is for ${expected} only`);
      const item = items.find((candidate) => candidate.colour === term.colour);
      if (item === undefined) throw new NoAnswer("absent", `nothing is ${term.colour}`);
      return item.measure ?? 0;
    }
    case "count":
      return filtered(items, term.conditions).length;
    case "edges":
      if (scene.contentType !== "diagram")
        throw new NoAnswer("not-applicable", '"edges" is for diagram only');
      return scene.links.length;
    case "aggregate": {
      const values = measures(items);
      if (term.aggregate === "total") return values.reduce((sum, value) => sum + value, 0);
      return term.aggregate === "max" ? Math.max(...values) : Math.min(...values);
    }
  }
}

/** What the evaluator notes on the way: the reads (`trace`) and the step-wise workings. */
interface Notes {
  readonly trace: number[];
  readonly workings: WorkingsToken[];
}

/** A number read from the image (or a winning measure): it enters both the trace and the workings. */
function noteRead(notes: Notes, value: number): void {
  notes.trace.push(value);
  notes.workings.push(value);
}

function expressionValue(
  scene: Scene,
  items: readonly SceneItem[],
  expression: Expression,
  notes: Notes,
): number {
  let value = termValue(scene, items, expression.first);
  noteRead(notes, value);
  for (const { operator, term } of expression.rest) {
    const operand = termValue(scene, items, term);
    notes.workings.push(operator);
    noteRead(notes, operand);
    value = applied(value, operator, operand);
    notes.workings.push(value);
  }
  return value;
}

function compared(left: number, comparator: Comparator, right: number): "yes" | "no" {
  const holds = comparator === "more" ? left > right : comparator === "less" ? left < right : left === right;
  return holds ? "yes" : "no";
}

/** The single item with the extreme measure. */
function extremeItem(items: readonly SceneItem[], extreme: "max" | "min", notes: Notes): SceneItem {
  const values = measures(items);
  const target = extreme === "max" ? Math.max(...values) : Math.min(...values);
  const winners = items.filter((item) => item.measure === target);
  if (winners.length !== 1)
    throw new NoAnswer("tie", `${winners.length} items share the ${extreme} ${target}`);
  noteRead(notes, target);
  return winners[0]!;
}

/** The single most or least frequent attribute value (among values present) of the matching items. */
function modeValue(
  items: readonly SceneItem[],
  attribute: (item: SceneItem) => Colour | Shape,
  selector: Extract<Selector, { kind: "mode" }>,
  notes: Notes,
): Colour | Shape {
  const counts = new Map<Colour | Shape, number>();
  for (const item of filtered(items, selector.conditions))
    counts.set(attribute(item), (counts.get(attribute(item)) ?? 0) + 1);
  if (counts.size === 0) throw new NoAnswer("empty", "no item meets the conditions");
  const frequencies = [...counts.values()];
  const target = selector.mode === "most" ? Math.max(...frequencies) : Math.min(...frequencies);
  const winners = [...counts].filter(([, count]) => count === target);
  if (winners.length !== 1)
    throw new NoAnswer("tie", `${winners.length} values share the ${selector.mode} count ${target}`);
  noteRead(notes, target);
  return winners[0]![0];
}

function selectedItem(
  items: readonly SceneItem[],
  selector: Exclude<Selector, { kind: "mode" }>,
  notes: Notes,
) {
  switch (selector.kind) {
    case "position": {
      requireItems(items, (item) => item.position !== undefined, "positions");
      const item = items.find((candidate) => candidate.position === selector.position);
      if (item === undefined) throw new NoAnswer("absent", `there is no position ${selector.position}`);
      return item;
    }
    case "cell": {
      requireItems(items, (item) => item.row !== undefined, "rows and columns");
      const item = items.find(
        (candidate) => candidate.row === selector.row && candidate.column === selector.column,
      );
      if (item === undefined)
        throw new NoAnswer("absent", `row ${selector.row} column ${selector.column} is empty`);
      return item;
    }
    case "extreme":
      return extremeItem(items, selector.extreme, notes);
  }
}

function shapeOf(item: SceneItem): Shape {
  assert(item.shape !== undefined, "shape questions are checked to apply before any shape is read");
  return item.shape;
}

function attributeAnswer(
  items: readonly SceneItem[],
  question: Extract<Question, { kind: "attribute" }>,
  notes: Notes,
): Answer {
  if (question.attribute === "shape") requireItems(items, (item) => item.shape !== undefined, "shapes");
  const attribute = question.attribute === "colour" ? (item: SceneItem) => item.colour : shapeOf;
  const selector = question.selector;
  return selector.kind === "mode"
    ? modeValue(items, attribute, selector, notes)
    : attribute(selectedItem(items, selector, notes));
}

function answerOf(scene: Scene, question: Question, notes: Notes): Answer {
  const items = sceneItems(scene);
  switch (question.kind) {
    case "number":
      return expressionValue(scene, items, question.expression, notes);
    case "compare": {
      const left = expressionValue(scene, items, question.left, notes);
      notes.workings.push(question.comparator);
      return compared(left, question.comparator, expressionValue(scene, items, question.right, notes));
    }
    case "attribute":
      return attributeAnswer(items, question, notes);
  }
}

/** The true answer of a question on a scene, or why it has none (see {@link EvaluationFailureKind}). */
export function evaluateQuestion(
  scene: Scene,
  question: Question,
): Parsed<Evaluation, QuestionEvaluationError> {
  const notes: Notes = { trace: [], workings: [] };
  try {
    const answer = answerOf(scene, question, notes);
    if (typeof answer === "number" && !isSpellableNumber(answer)) {
      throw new NoAnswer("out-of-range", `${answer} cannot be written with the world's numbers`);
    }
    return parsedValue({ answer, trace: notes.trace, workings: notes.workings });
  } catch (error) {
    if (error instanceof NoAnswer)
      return parsedFailure(new QuestionEvaluationError(error.kind, error.detail));
    throw error;
  }
}

/** The answer as a word ("5", "red", "yes"). */
export function answerWord(answer: Answer): string {
  return String(answer);
}
