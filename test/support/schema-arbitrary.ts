import { Effect, type Schema } from "effect";
import * as Arbitrary from "effect/Arbitrary";
import fc from "fast-check";

/** Why 30: large enough for nested arrays and long strings, small enough that a sample stays cheap. */
const sampleSizeMax = 30;

/**
 * A fast-check arbitrary of a schema's values, drawn by Effect's own schema-derived generator.
 * fast-check supplies the seed and size (and shrinks them: smaller sizes give simpler values), so a
 * failure replays from fast-check's seed like any other property.
 */
export function arbitraryFromSchema<S extends Schema.Top>(schema: S): fc.Arbitrary<S["Type"]> {
  const generator = Arbitrary.schema(schema);
  return fc.tuple(fc.integer(), fc.integer({ min: 0, max: sampleSizeMax })).map(([seed, size]) => {
    const [value] = Effect.runSync(Arbitrary.sampleEffect(generator, { seed, size, count: 1 }));
    if (value === undefined)
      throw new Error(`the schema generator gave no value for seed ${seed}, size ${size}`);
    return value;
  });
}
