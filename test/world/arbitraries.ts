// fast-check arbitraries for world scenes and question ASTs, built independently of the seeded samplers
// so the properties cover corners the samplers rarely reach (and would catch a sampler/grammar mismatch).
import fc from "fast-check";
import { colours, type Question, type Scene, shapes } from "../../src/world/index.ts";

export const colourArbitrary = fc.constantFrom(...colours);
export const shapeArbitrary = fc.constantFrom(...shapes);

const barChartArbitrary: fc.Arbitrary<Scene> = fc
  .shuffledSubarray([...colours], { minLength: 3, maxLength: 6 })
  .chain((palette) =>
    fc.tuple(...palette.map((colour) => fc.integer({ min: 1, max: 9 }).map((value) => ({ colour, value })))),
  )
  .map((bars) => ({ contentType: "data_chart", bars }));

const geometryArbitrary: fc.Arbitrary<Scene> = fc
  .array(record({ colour: colourArbitrary, shape: shapeArbitrary }), { minLength: 2, maxLength: 8 })
  .map((items) => ({ contentType: "geometry", shapes: items }));

const tableSizes: [number, number][] = [
  [2, 2],
  [2, 3],
  [2, 4],
  [3, 2],
  [3, 3],
  [3, 4],
  [4, 2],
  [4, 3],
];

const tableArbitrary: fc.Arbitrary<Scene> = fc
  .constantFrom(...tableSizes)
  .chain(([rows, columns]) =>
    fc.array(fc.array(colourArbitrary, { minLength: columns, maxLength: columns }), {
      minLength: rows,
      maxLength: rows,
    }),
  )
  .map((rows) => ({ contentType: "table", rows }));

const diagramArbitrary: fc.Arbitrary<Scene> = fc
  .shuffledSubarray([...colours], { minLength: 3, maxLength: 5 })
  .chain((nodes) => {
    const pairs: [number, number][] = [];
    for (let from = 0; from < nodes.length; from++) {
      for (let to = from + 1; to < nodes.length; to++) pairs.push([from, to]);
    }
    return fc
      .shuffledSubarray(pairs, { minLength: 1, maxLength: Math.min(5, pairs.length) })
      .map((links) => ({
        contentType: "diagram" as const,
        nodes,
        links: [...links].sort((first, second) => first[0] - second[0] || first[1] - second[1]),
      }));
  });

export const sceneArbitrary: fc.Arbitrary<Scene> = fc.oneof(
  barChartArbitrary,
  geometryArbitrary,
  tableArbitrary,
  diagramArbitrary,
);

/** fc.record without null-prototype objects (deepStrictEqual compares prototypes). */
function record<Value>(model: { [Key in keyof Value]: fc.Arbitrary<Value[Key]> }): fc.Arbitrary<Value> {
  return fc.record(model, { noNullPrototype: true });
}

const smallNumber = fc.integer({ min: 0, max: 9 });
const index = fc.integer({ min: 1, max: 9 });

const conditionArbitrary = fc.oneof(
  colourArbitrary.map((colour) => ({ kind: "colour" as const, colour })),
  shapeArbitrary.map((shape) => ({ kind: "shape" as const, shape })),
  index.map((value) => ({ kind: "row" as const, index: value })),
  index.map((value) => ({ kind: "column" as const, index: value })),
  smallNumber.map((threshold) => ({ kind: "above" as const, threshold })),
  smallNumber.map((threshold) => ({ kind: "below" as const, threshold })),
);

const termArbitrary = fc.oneof(
  colourArbitrary.map((colour) => ({ kind: "value" as const, colour })),
  colourArbitrary.map((colour) => ({ kind: "links" as const, colour })),
  fc
    .array(conditionArbitrary, { maxLength: 3 })
    .map((conditions) => ({ kind: "count" as const, conditions })),
  fc.constant({ kind: "edges" as const }),
  fc.constantFrom("total" as const, "max" as const, "min" as const).map((aggregate) => ({
    kind: "aggregate" as const,
    aggregate,
  })),
);

const expressionArbitrary = record({
  first: termArbitrary,
  rest: fc.array(
    record({
      operator: fc.constantFrom("plus" as const, "minus" as const, "over" as const),
      term: termArbitrary,
    }),
    { maxLength: 2 },
  ),
});

const selectorArbitrary = fc.oneof(
  index.map((position) => ({ kind: "position" as const, position })),
  record({ kind: fc.constant("cell" as const), row: index, column: index }),
  fc.constantFrom("max" as const, "min" as const).map((extreme) => ({ kind: "extreme" as const, extreme })),
  record({
    kind: fc.constant("mode" as const),
    mode: fc.constantFrom("most" as const, "fewest" as const),
    conditions: fc.array(conditionArbitrary, { maxLength: 2 }),
  }),
);

/** Any question AST (some exceed the 12-word limit; callers filter). */
export const questionArbitrary: fc.Arbitrary<Question> = fc.oneof(
  expressionArbitrary.map((expression) => ({ kind: "number" as const, expression })),
  record({
    kind: fc.constant("compare" as const),
    left: expressionArbitrary,
    comparator: fc.constantFrom("more" as const, "less" as const, "equal" as const),
    right: expressionArbitrary,
  }),
  record({
    kind: fc.constant("attribute" as const),
    attribute: fc.constantFrom("colour" as const, "shape" as const),
    selector: selectorArbitrary,
  }),
);

/** Greedy longest-match tokenization over `vocabulary`; undefined where no entry matches. */
export function greedyTokenize(text: string, vocabulary: readonly string[]): string[] | undefined {
  const byFirstCharacter = new Map<string, string[]>();
  for (const entry of vocabulary) {
    const bucket = byFirstCharacter.get(entry[0]!) ?? [];
    bucket.push(entry);
    byFirstCharacter.set(entry[0]!, bucket);
  }
  for (const bucket of byFirstCharacter.values())
    bucket.sort((first, second) => second.length - first.length);
  const tokens: string[] = [];
  let position = 0;
  while (position < text.length) {
    const match = byFirstCharacter.get(text[position]!)?.find((entry) => text.startsWith(entry, position));
    if (match === undefined) return undefined;
    tokens.push(match);
    position += match.length;
  }
  return tokens;
}
