/**
 * Seeded question generation from the grammar. Easy questions are one perception step; hard ones are
 * drawn by composing terms, conditions and selectors at random and keeping the first candidate that has
 * an answer on the scene and fits the requested step range (rejection sampling, bounded attempts).
 */
import assert from "node:assert/strict";
import type { KeyedRandom } from "../rng/index.ts";
import { type Evaluation, evaluateQuestion } from "./evaluate.ts";
import { type SceneItem, sceneItems } from "./items.ts";
import { type Colour, colours, shapes } from "./lexicon.ts";
import {
  aggregates,
  type Comparator,
  type Condition,
  comparators,
  type Expression,
  type Operator,
  type Question,
  questionSteps,
  questionTerms,
  type Term,
} from "./question.ts";
import { questionWords } from "./question-text.ts";
import type { Scene } from "./scene.ts";
import { drawBetween, drawOne } from "./scene-sampler.ts";

export interface GeneratedQuestion {
  readonly question: Question;
  readonly evaluation: Evaluation;
}

export interface HardQuestionLimits {
  readonly stepsMin: number;
  readonly stepsMax: number;
  /** Terms in the whole question (each is one number of the Solver's trace). */
  readonly termsMax: number;
  readonly wordsMax: number;
}

/** Why 64: measured, fewer than 2% of scenes exhaust it (then the fallback question is used). */
export const questionAttemptsMax = 64;
/** Attempts spent on one composition form before trying the next. */
const attemptsPerHardForm = 16;
/** Why: a question naming a colour the scene lacks is legal and answerable (count 0), but rarer. */
const absentColourProbability = 0.15;
const overOperatorProbability = 0.15;

type Builder = (random: KeyedRandom, scene: Scene, items: readonly SceneItem[]) => Question;

function drawColour(random: KeyedRandom, items: readonly SceneItem[]): Colour {
  if (random.nextUniform() < absentColourProbability) return drawOne(random, colours);
  return drawOne(random, items).colour;
}

/** Colour/shape conditions: one kind of item (geometry and table only; elsewhere colours are unique). */
function kindConditions(random: KeyedRandom, scene: Scene, items: readonly SceneItem[]): Condition[] {
  const colour: Condition = { kind: "colour", colour: drawColour(random, items) };
  if (scene.contentType === "table") return [colour];
  if (scene.contentType !== "geometry") return [];
  const shape: Condition = { kind: "shape", shape: drawOne(random, shapes) };
  return drawOne(random, [[colour], [shape], [colour, shape]]);
}

/** One condition on where an item is (grid row/column) or how big it is (above/below a threshold). */
function placeCondition(random: KeyedRandom, scene: Scene, items: readonly SceneItem[]): Condition {
  if (scene.contentType === "geometry" || scene.contentType === "table") {
    const rows = Math.max(...items.map((item) => item.row ?? 1));
    const columns = Math.max(...items.map((item) => item.column ?? 1));
    return random.nextUniform() < 0.5
      ? { kind: "row", index: drawBetween(random, 1, rows) }
      : { kind: "column", index: drawBetween(random, 1, columns) };
  }
  const top = Math.max(...items.map((item) => item.measure ?? 0));
  const threshold = drawBetween(random, 1, Math.max(1, top - 1));
  return random.nextUniform() < 0.5 ? { kind: "above", threshold } : { kind: "below", threshold };
}

function easyTerm(random: KeyedRandom, scene: Scene, items: readonly SceneItem[]): Term {
  const colour = drawOne(random, items).colour;
  switch (scene.contentType) {
    case "data_chart":
      return random.nextUniform() < 0.8 ? { kind: "value", colour } : { kind: "count", conditions: [] };
    case "diagram":
      return drawOne(random, [
        { kind: "links", colour },
        { kind: "edges" },
        { kind: "count", conditions: [] },
      ] as const);
    case "geometry":
    case "table": {
      const conditions = kindConditions(random, scene, items);
      return { kind: "count", conditions: random.nextUniform() < 0.15 ? [] : conditions };
    }
  }
}

function hardTerm(random: KeyedRandom, scene: Scene, items: readonly SceneItem[]): Term {
  const measured = scene.contentType === "data_chart" || scene.contentType === "diagram";
  if (measured && random.nextUniform() < 0.5)
    return { kind: "aggregate", aggregate: drawOne(random, aggregates) };
  return {
    kind: "count",
    conditions: [...kindConditions(random, scene, items), placeCondition(random, scene, items)],
  };
}

function anyTerm(random: KeyedRandom, scene: Scene, items: readonly SceneItem[]): Term {
  return random.nextUniform() < 0.7 ? easyTerm(random, scene, items) : hardTerm(random, scene, items);
}

function drawOperator(random: KeyedRandom): Operator {
  if (random.nextUniform() < overOperatorProbability) return "over";
  return random.nextUniform() < 0.5 ? "plus" : "minus";
}

function expression(
  random: KeyedRandom,
  scene: Scene,
  items: readonly SceneItem[],
  termCount: number,
): Expression {
  const first = anyTerm(random, scene, items);
  const rest = Array.from({ length: termCount - 1 }, () => ({
    operator: drawOperator(random),
    term: anyTerm(random, scene, items),
  }));
  return { first, rest };
}

const arithmetic: Builder = (random, scene, items) => ({
  kind: "number",
  expression: expression(random, scene, items, random.nextUniform() < 0.7 ? 2 : 3),
});

const comparison: Builder = (random, scene, items) => ({
  kind: "compare",
  left: expression(random, scene, items, random.nextUniform() < 0.8 ? 1 : 2),
  comparator: drawOne<Comparator>(random, comparators),
  right: expression(random, scene, items, random.nextUniform() < 0.8 ? 1 : 2),
});

const aloneHardTerm: Builder = (random, scene, items) => ({
  kind: "number",
  expression: { first: hardTerm(random, scene, items), rest: [] },
});

const extremeColour: Builder = (random) => ({
  kind: "attribute",
  attribute: "colour",
  selector: { kind: "extreme", extreme: random.nextUniform() < 0.5 ? "max" : "min" },
});

const modeAttribute: Builder = (random, scene, items) => {
  const attribute = scene.contentType === "geometry" && random.nextUniform() < 0.5 ? "shape" : "colour";
  const conditions: Condition[] = [];
  if (attribute === "shape" && random.nextUniform() < 0.3) {
    conditions.push({ kind: "colour", colour: drawColour(random, items) });
  }
  if (random.nextUniform() < 0.5) conditions.push(placeCondition(random, scene, items));
  const mode = random.nextUniform() < 0.5 ? "most" : "fewest";
  return { kind: "attribute", attribute, selector: { kind: "mode", mode, conditions } };
};

const hardBuilders: Readonly<Record<Scene["contentType"], readonly Builder[]>> = {
  data_chart: [arithmetic, comparison, aloneHardTerm, extremeColour],
  diagram: [arithmetic, comparison, aloneHardTerm, extremeColour],
  geometry: [arithmetic, comparison, aloneHardTerm, modeAttribute],
  table: [arithmetic, comparison, aloneHardTerm, modeAttribute],
};

function positionOf(item: SceneItem): number {
  assert(item.position !== undefined, "position questions are only drawn for content types with positions");
  return item.position;
}

function positionSelector(random: KeyedRandom, items: readonly SceneItem[]) {
  const item = drawOne(random, items);
  return random.nextUniform() < 0.5 || item.row === undefined || item.column === undefined
    ? ({ kind: "position", position: positionOf(item) } as const)
    : ({ kind: "cell", row: item.row, column: item.column } as const);
}

const easyBuilders: Readonly<Record<Scene["contentType"], readonly Builder[]>> = {
  data_chart: [
    (random, scene, items) => ({
      kind: "number",
      expression: { first: easyTerm(random, scene, items), rest: [] },
    }),
    (random, _, items) => ({
      kind: "attribute",
      attribute: "colour",
      selector: positionSelector(random, items),
    }),
  ],
  diagram: [
    (random, scene, items) => ({
      kind: "number",
      expression: { first: easyTerm(random, scene, items), rest: [] },
    }),
  ],
  geometry: [
    (random, scene, items) => ({
      kind: "number",
      expression: { first: { kind: "count", conditions: kindConditions(random, scene, items) }, rest: [] },
    }),
    (random, _, items) => ({
      kind: "attribute",
      attribute: "colour",
      selector: positionSelector(random, items),
    }),
    (random, _, items) => ({
      kind: "attribute",
      attribute: "shape",
      selector: positionSelector(random, items),
    }),
  ],
  table: [
    (random, scene, items) => ({
      kind: "number",
      expression: { first: { kind: "count", conditions: kindConditions(random, scene, items) }, rest: [] },
    }),
    (random, _, items) => ({
      kind: "attribute",
      attribute: "colour",
      selector: positionSelector(random, items),
    }),
  ],
};

function evaluated(scene: Scene, question: Question): GeneratedQuestion | undefined {
  const result = evaluateQuestion(scene, question);
  return result.ok ? { question, evaluation: result.value } : undefined;
}

/** A one-step question with an answer on the scene. */
export function sampleEasyQuestion(random: KeyedRandom, scene: Scene): GeneratedQuestion {
  const items = sceneItems(scene);
  for (let attempt = 0; attempt < questionAttemptsMax; attempt++) {
    const question = drawOne(random, easyBuilders[scene.contentType])(random, scene, items);
    const generated = evaluated(scene, question);
    if (generated !== undefined && questionSteps(question) === 1) return generated;
  }
  throw new Error(`no easy question found in ${questionAttemptsMax} attempts: the easy builders are broken`);
}

/** Within the limits, and no term repeated ("count all plus count all" is legal but silly). */
function fits(question: Question, limits: HardQuestionLimits): boolean {
  const steps = questionSteps(question);
  const terms = questionTerms(question).map((term) => JSON.stringify(term));
  return (
    new Set(terms).size === terms.length &&
    steps >= limits.stepsMin &&
    steps <= limits.stepsMax &&
    questionTerms(question).length <= limits.termsMax &&
    questionWords(question).length <= limits.wordsMax
  );
}

/** "count all minus count <first item's colour>": always answerable, 3 steps, 6 words. */
function fallbackHardQuestion(scene: Scene, items: readonly SceneItem[]): GeneratedQuestion {
  const colour = items[0]!.colour;
  const question: Question = {
    kind: "number",
    expression: {
      first: { kind: "count", conditions: [] },
      rest: [{ operator: "minus", term: { kind: "count", conditions: [{ kind: "colour", colour }] } }],
    },
  };
  const generated = evaluated(scene, question);
  assert(generated !== undefined, "the fallback question always has an answer");
  return generated;
}

/** A multi-step question with an answer on the scene, within the limits. */
export function sampleHardQuestion(
  random: KeyedRandom,
  scene: Scene,
  limits: HardQuestionLimits,
): GeneratedQuestion {
  assert(
    limits.stepsMin >= 2 && limits.stepsMin <= 3 && limits.stepsMax >= 3,
    "the fallback needs 3 steps in range",
  );
  assert(limits.termsMax >= 2 && limits.wordsMax >= 6, "the fallback needs 2 terms and 6 words");
  const items = sceneItems(scene);
  // Why: "equal" rarely holds, so unbalanced comparisons would make "no" a free majority answer.
  const comparisonAnswer = random.nextUniform() < 0.5 ? "yes" : "no";
  // Why a form is kept for several attempts: rejection would otherwise favour the forms that are
  // accepted most often, skewing the mix of compositions.
  const builders = hardBuilders[scene.contentType];
  const firstBuilder = random.nextInt(builders.length);
  for (let attempt = 0; attempt < questionAttemptsMax; attempt++) {
    const builder = builders[(firstBuilder + Math.floor(attempt / attemptsPerHardForm)) % builders.length]!;
    const question = builder(random, scene, items);
    const generated = fits(question, limits) ? evaluated(scene, question) : undefined;
    if (generated === undefined) continue;
    if (question.kind !== "compare" || generated.evaluation.answer === comparisonAnswer) return generated;
  }
  return fallbackHardQuestion(scene, items);
}
