// Goal: any well-formed drawing of shapes, paths and text renders through the pool without a
// crash or a hang, at exactly the requested size. Method: a seeded fast-check generator of SVG
// documents (sizes within the validity rule, random geometry, transforms, gradients, Unicode
// text) rendered at random output sizes from 1 to 224 px.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import fc from "fast-check";
import { createRenderPool } from "../../src/render/index.ts";

const coordinate = fc.double({ min: -500, max: 1500, noNaN: true }).map((value) => value.toFixed(2));
const positive = fc.double({ min: 0, max: 800, noNaN: true }).map((value) => value.toFixed(2));
const color = fc.constantFrom(
  "red",
  "#1e78c8",
  "rgb(10,200,30)",
  "hsl(120,50%,50%)",
  "none",
  "url(#g)",
  "black",
);
// Text without characters XML forbids (controls, U+FFFE/U+FFFF) or would need escaping.
function isPlainXmlCharacter(character: string): boolean {
  const codePoint = character.codePointAt(0) ?? 0;
  const allowedControl = codePoint === 0x09 || codePoint === 0x0a || codePoint === 0x0d;
  return (
    (codePoint >= 0x20 || allowedControl) &&
    codePoint !== 0xfffe &&
    codePoint !== 0xffff &&
    !"&<>".includes(character)
  );
}
const words = fc
  .string({ unit: "grapheme", maxLength: 24 })
  .map((text) =>
    Array.from(text, (character) => (isPlainXmlCharacter(character) ? character : "?")).join(""),
  );

const pathCommand = fc.oneof(
  fc.tuple(coordinate, coordinate).map(([x, y]) => `L ${x} ${y}`),
  fc.tuple(coordinate, coordinate, coordinate, coordinate).map(([a, b, c, d]) => `Q ${a} ${b} ${c} ${d}`),
  fc
    .tuple(coordinate, coordinate, coordinate, coordinate, coordinate, coordinate)
    .map((values) => `C ${values.join(" ")}`),
  fc
    .tuple(
      positive,
      positive,
      fc.integer({ min: 0, max: 360 }),
      fc.boolean(),
      fc.boolean(),
      coordinate,
      coordinate,
    )
    .map(
      ([rx, ry, angle, large, sweep, x, y]) =>
        `A ${rx} ${ry} ${angle} ${Number(large)} ${Number(sweep)} ${x} ${y}`,
    ),
  fc.constant("Z"),
);

const shape = fc.oneof(
  fc
    .tuple(coordinate, coordinate, positive, positive, color)
    .map(([x, y, w, h, fill]) => `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${fill}"/>`),
  fc
    .tuple(coordinate, coordinate, positive, color)
    .map(([x, y, r, fill]) => `<circle cx="${x}" cy="${y}" r="${r}" fill="${fill}" stroke="black"/>`),
  fc
    .tuple(coordinate, coordinate, coordinate, coordinate, positive)
    .map(
      ([a, b, c, d, width]) =>
        `<line x1="${a}" y1="${b}" x2="${c}" y2="${d}" stroke="blue" stroke-width="${width}"/>`,
    ),
  fc
    .array(fc.tuple(coordinate, coordinate), { minLength: 1, maxLength: 12 })
    .map(
      (points) =>
        `<polygon points="${points.map((point) => point.join(",")).join(" ")}" fill="teal" opacity="0.6"/>`,
    ),
  fc
    .tuple(coordinate, coordinate, fc.array(pathCommand, { maxLength: 12 }), color)
    .map(
      ([x, y, commands, fill]) =>
        `<path d="M ${x} ${y} ${commands.join(" ")}" fill="${fill}" stroke="#333"/>`,
    ),
  fc
    .tuple(
      coordinate,
      coordinate,
      fc.integer({ min: 1, max: 120 }),
      words,
      fc.constantFrom("sans-serif", "DejaVu Serif", "Arial", "monospace"),
    )
    .map(
      ([x, y, size, text, family]) =>
        `<text x="${x}" y="${y}" font-size="${size}" font-family="${family}">${text}</text>`,
    ),
);

const group = fc
  .tuple(
    fc.array(shape, { maxLength: 6 }),
    fc.integer({ min: -180, max: 180 }),
    fc.double({ min: 0.1, max: 3, noNaN: true }),
  )
  .map(
    ([children, angle, scale]) =>
      `<g transform="rotate(${angle}) scale(${scale.toFixed(3)})">${children.join("")}</g>`,
  );

// Sides from 1 px (fractional, so rounding ties occur) to 2000 px, within the aspect rule.
const side = fc.oneof(
  fc.integer({ min: 1, max: 2000 }),
  fc.double({ min: 1, max: 4, noNaN: true }).map((value) => Number(value.toFixed(2))),
);
const rootSize = fc
  .tuple(side, side)
  // The rule holds on the attributes and on resvg's rounded pixels (1.01 x 101 rounds to aspect 101).
  .filter((sides) =>
    [sides, sides.map(Math.round)].every(
      ([width = 1, height = 1]) => Math.max(width, height) / Math.min(width, height) <= 100,
    ),
  )
  .chain(([width, height]) =>
    fc.constantFrom(
      `width="${width}" height="${height}"`,
      `viewBox="0 0 ${width} ${height}"`,
      `width="${width}" viewBox="0 0 ${width} ${height}"`,
    ),
  );

const document = fc
  .tuple(rootSize, fc.array(fc.oneof(shape, group), { maxLength: 10 }))
  .map(
    ([size, body]) =>
      `<svg xmlns="http://www.w3.org/2000/svg" ${size}><defs><linearGradient id="g"><stop offset="0" stop-color="red"/><stop offset="1" stop-color="blue"/></linearGradient></defs>${body.join("")}</svg>`,
  );

const pool = createRenderPool({ workerCount: 2 });
after(() => pool.close());

test("generated shapes, paths and text always render at the requested size", async () => {
  await fc.assert(
    fc.asyncProperty(document, fc.constantFrom(1, 7, 32, 64, 224), async (svg, size) => {
      const outcome = await pool.render(svg, { size });
      assert.equal(outcome.kind, "ok", "message" in outcome ? outcome.message : "");
      if (outcome.kind !== "ok") return;
      assert.deepEqual(
        [outcome.image.width, outcome.image.height, outcome.image.rgba.length],
        [size, size, size * size * 4],
      );
    }),
    { numRuns: 2000 },
  );
  const { timedOut, crashed } = pool.stats();
  assert.deepEqual({ timedOut, crashed }, { timedOut: 0, crashed: 0 });
});
