// Goal: a shifted view of a world scene is the same picture moved, nothing else: only the viewBox
// origin changes, a whole-pixel shift renders (with the real resvg) as the original image translated
// by that many pixels, shifts are drawn within their bound on the 1/16 grid and keyed, and anything
// that is not a world scene or a shift outside the bound is refused with a typed error.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { renderSvgInProcess } from "../../src/render/index.ts";
import { keyedRandom } from "../../src/rng/index.ts";
import {
  drawViewShift,
  SceneViewError,
  sceneSvg,
  shiftedSceneSvg,
  viewShiftMax,
  viewShiftQuantum,
} from "../../src/world/index.ts";
import { sceneArbitrary } from "./arbitraries.ts";

const quanta = viewShiftMax / viewShiftQuantum;
const shiftArbitrary = fc.record({
  dx: fc.integer({ min: -quanta, max: quanta }).map((steps) => steps * viewShiftQuantum),
  dy: fc.integer({ min: -quanta, max: quanta }).map((steps) => steps * viewShiftQuantum),
});

test("a shifted view changes only the viewBox origin, by minus the shift", () => {
  fc.assert(
    fc.property(sceneArbitrary, shiftArbitrary, (scene, shift) => {
      const svg = sceneSvg(scene);
      const shifted = shiftedSceneSvg(svg, shift);
      const viewBox = /viewBox="([^"]*)"/.exec(shifted)![1]!.split(" ").map(Number);
      assert.deepEqual(viewBox, [0 - shift.dx, 0 - shift.dy, 32, 32]);
      assert.equal(shifted.replace(/viewBox="[^"]*"/, ""), svg.replace(/viewBox="[^"]*"/, ""));
      if (shift.dx === 0 && shift.dy === 0) assert.equal(shifted, svg);
    }),
  );
});

test("a whole-pixel shift renders as the original image translated by that many pixels", () => {
  const size = 32; // one canvas unit per pixel
  const pixels = (svg: string) => {
    const outcome = renderSvgInProcess(svg, { size, extract: false });
    assert.ok(outcome.kind === "ok", outcome.kind);
    return outcome.image.rgba;
  };
  const wholeShift = fc.record({
    dx: fc.constantFrom(-1, 0, 1),
    dy: fc.constantFrom(-1, 0, 1),
  });
  fc.assert(
    fc.property(sceneArbitrary, wholeShift, (scene, { dx, dy }) => {
      const original = pixels(sceneSvg(scene));
      const moved = pixels(shiftedSceneSvg(sceneSvg(scene), { dx, dy }));
      for (let y = 0; y < size; y++)
        for (let x = 0; x < size; x++) {
          const sourceX = x - dx;
          const sourceY = y - dy;
          if (sourceX < 0 || sourceY < 0 || sourceX >= size || sourceY >= size) continue;
          for (let channel = 0; channel < 4; channel++)
            assert.equal(
              moved[(y * size + x) * 4 + channel],
              original[(sourceY * size + sourceX) * 4 + channel],
              `pixel (${x}, ${y}) channel ${channel} of a (${dx}, ${dy}) shift`,
            );
        }
    }),
    { numRuns: 40 },
  );
});

test("drawn shifts lie on the 1/16 grid within the jitter, reach both ends, and follow their key", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: quanta }).map((steps) => steps * viewShiftQuantum),
      fc.string(),
      (jitter, key) => {
        const shift = drawViewShift(keyedRandom("view-test", key), jitter);
        for (const value of [shift.dx, shift.dy]) {
          assert.ok(Math.abs(value) <= jitter, `${value} outside ±${jitter}`);
          assert.ok(Number.isInteger(value / viewShiftQuantum), `${value} off the grid`);
        }
        assert.deepEqual(drawViewShift(keyedRandom("view-test", key), jitter), shift);
      },
    ),
  );
  const seen = new Set(
    Array.from({ length: 400 }, (_, index) => drawViewShift(keyedRandom("view-test", index), 1 / 8).dx),
  );
  assert.deepEqual(
    [...seen].sort((a, b) => a - b),
    [-1 / 8, -1 / 16, 0, 1 / 16, 1 / 8],
  );
});

test("a shift outside the bound or off the grid, or an SVG that is not a world scene, is refused", () => {
  const svg = sceneSvg({ contentType: "diagram", nodes: ["red", "blue"], links: [[0, 1]] });
  assert.throws(() => shiftedSceneSvg(svg, { dx: viewShiftMax + viewShiftQuantum, dy: 0 }), RangeError);
  assert.throws(() => shiftedSceneSvg(svg, { dx: 0, dy: viewShiftQuantum / 2 }), RangeError);
  assert.throws(() => shiftedSceneSvg(svg, { dx: Number.NaN, dy: 0 }), RangeError);
  assert.throws(() => drawViewShift(keyedRandom("view-test"), viewShiftMax * 2), RangeError);
  assert.throws(
    () => shiftedSceneSvg('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"/>', { dx: 0, dy: 0 }),
    SceneViewError,
  );
});
