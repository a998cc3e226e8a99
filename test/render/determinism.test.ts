// Goal: the same SVG gives the same pixels in the calling process, in any pool worker and in
// another pool; text is drawn with the bundled font; the output is exactly the requested square,
// opaque, letterboxed on white, with a PNG that decodes to the same pixels.
// Method: committed golden SHA-256 hashes of three scenes, hashes compared across paths, pixel
// probes on simple shapes, and a small PNG decoder (zlib inflate) for the round trip.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, describe, test } from "node:test";
import { inflateSync } from "node:zlib";
import {
  createRenderPool,
  type RenderedImage,
  type RenderOutcome,
  renderSvgInProcess,
} from "../../src/render/index.ts";
import { scenes } from "./scenes.ts";

// Golden hashes: resvg-js 2.6.2 with dejavu-fonts-ttf 2.37.3. A change means every recorded run's
// images changed: bump them only with a new renderer version recorded in the run's config.
const goldenPixelSha256: Readonly<Record<string, string>> = {
  "bar chart@64": "938804bb9399ba5f596970cbf75ed6eb209404b9eb39f2d6b117cdac9417b2b5",
  "bar chart@224": "d58da79d97e92df871735e36a4e5eb878bc165a8b3e08fab38cbc01e884bac36",
  "geometry@64": "76f39e9e10c4852daaa9b36b9694732614a8b01c85a5d888b0ccba6f6aa48cca",
  "text@64": "8045b3fa077cd63fb9ff89112d0cd10179c50f4f00b7f81426d2d21d7ee56e14",
};

function image(outcome: RenderOutcome): RenderedImage {
  assert.equal(outcome.kind, "ok", "message" in outcome ? outcome.message : "");
  if (outcome.kind !== "ok") throw new Error("unreachable");
  return outcome.image;
}

function pixel(rendered: RenderedImage, x: number, y: number): number[] {
  const offset = (y * rendered.width + x) * 4;
  return [...rendered.rgba.subarray(offset, offset + 4)];
}

const white = [255, 255, 255, 255];
const red = [255, 0, 0, 255];

/** Decodes the encoder's own subset of PNG: 8-bit RGBA, filter type 0 on every row. */
function decodePng(png: Uint8Array): { width: number; height: number; rgba: Uint8Array } {
  const bytes = Buffer.from(png);
  let offset = 8;
  let width = 0;
  let height = 0;
  const data: Buffer[] = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString("latin1", offset + 4, offset + 8);
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") [width, height] = [body.readUInt32BE(0), body.readUInt32BE(4)];
    if (type === "IDAT") data.push(body);
    offset += 12 + length;
  }
  const scanlines = inflateSync(Buffer.concat(data));
  const rgba = new Uint8Array(width * height * 4);
  for (let row = 0; row < height; row++) {
    const start = row * (width * 4 + 1);
    assert.equal(scanlines[start], 0, "filter type");
    rgba.set(scanlines.subarray(start + 1, start + 1 + width * 4), row * width * 4);
  }
  return { width, height, rgba };
}

describe("determinism", () => {
  const first = createRenderPool({ workerCount: 2 });
  const second = createRenderPool({ workerCount: 1 });
  after(() => Promise.all([first.close(), second.close()]));

  for (const [key, golden] of Object.entries(goldenPixelSha256)) {
    test(`${key} matches its golden hash in process, in both workers of one pool and in another pool`, async () => {
      const [name, size] = key.split("@");
      const scene = scenes.find((candidate) => candidate.name === name);
      assert.ok(scene !== undefined && size !== undefined);
      const options = { size: Number(size) };
      const inProcess = image(renderSvgInProcess(scene.svg, options)).pixelSha256;
      // Four at once so both workers of the first pool take some.
      const pooled = await Promise.all([
        ...Array.from({ length: 4 }, () => first.render(scene.svg, options)),
        second.render(scene.svg, options),
      ]);
      assert.deepEqual(
        pooled.map((outcome) => image(outcome).pixelSha256),
        Array.from({ length: 5 }, () => inProcess),
      );
      // Pool images carry a PNG and decode their pixels on use: those must hash the same.
      const decoded = pooled.map((outcome) => createHash("sha256").update(image(outcome).rgba).digest("hex"));
      assert.deepEqual(
        decoded,
        Array.from({ length: 5 }, () => inProcess),
      );
      assert.equal(inProcess, golden);
    });
  }
});

describe("pixels", () => {
  test("text is drawn with the bundled font: ink where the text is, and different text differs", () => {
    const text = (words: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="30"><text x="2" y="22" font-size="20">${words}</text></svg>`;
    const hello = image(renderSvgInProcess(text("Hello"), { size: 100 }));
    let ink = 0;
    for (let offset = 0; offset < hello.rgba.length; offset += 4)
      if ((hello.rgba[offset] ?? 255) < 128) ink += 1;
    assert.ok(ink > 100, `only ${ink} dark pixels`);
    assert.notEqual(image(renderSvgInProcess(text("World"), { size: 100 })).pixelSha256, hello.pixelSha256);
  });

  test("a landscape SVG is fitted to the width and centred between white bands", () => {
    const landscape =
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect width="200" height="100" fill="red"/></svg>';
    const rendered = image(renderSvgInProcess(landscape, { size: 64 }));
    assert.deepEqual([rendered.width, rendered.height], [64, 64]);
    for (const x of [0, 31, 63]) {
      assert.deepEqual(pixel(rendered, x, 15), white);
      assert.deepEqual(pixel(rendered, x, 16), red);
      assert.deepEqual(pixel(rendered, x, 47), red);
      assert.deepEqual(pixel(rendered, x, 48), white);
    }
  });

  test("a portrait SVG is fitted to the height and centred between white bands", () => {
    const portrait =
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 40"><rect width="10" height="40" fill="red"/></svg>';
    const rendered = image(renderSvgInProcess(portrait, { size: 32 }));
    for (const y of [0, 16, 31]) {
      assert.deepEqual(pixel(rendered, 11, y), white);
      assert.deepEqual(pixel(rendered, 12, y), red);
      assert.deepEqual(pixel(rendered, 19, y), red);
      assert.deepEqual(pixel(rendered, 20, y), white);
    }
  });

  test("an extreme aspect at a small output becomes a 1 px band instead of a zero-size failure", () => {
    const sliver =
      '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="1"><rect width="100" height="1" fill="red"/></svg>';
    const rendered = image(renderSvgInProcess(sliver, { size: 32 }));
    for (const x of [0, 16, 31]) {
      assert.deepEqual(pixel(rendered, x, 14), white);
      assert.deepEqual(pixel(rendered, x, 15), red);
      assert.deepEqual(pixel(rendered, x, 16), white);
    }
  });

  test("sub-pixel sizes that round alike still fit their longer side, not overflow it", () => {
    const tiny = (width: string, height: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="9" height="9" fill="red"/></svg>`;
    const portrait = image(renderSvgInProcess(tiny("1.4", "1.45"), { size: 64 }));
    assert.deepEqual(
      [pixel(portrait, 32, 0), pixel(portrait, 32, 63), pixel(portrait, 0, 32)],
      [red, red, white],
    );
    const landscape = image(renderSvgInProcess(tiny("1.45", "1.4"), { size: 64 }));
    assert.deepEqual(
      [pixel(landscape, 0, 32), pixel(landscape, 63, 32), pixel(landscape, 32, 0)],
      [red, red, white],
    );
  });

  test("transparency is composited onto opaque white: straight RGBA, alpha 255", () => {
    const half =
      '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8" fill="red" fill-opacity="0.5"/></svg>';
    const rendered = image(renderSvgInProcess(half, { size: 8 }));
    const [r, g, b, a] = pixel(rendered, 4, 4);
    assert.deepEqual([r, a], [255, 255]);
    assert.ok(g !== undefined && Math.abs(g - 128) <= 1 && g === b, `green ${g}, blue ${b}`);
  });

  test("the PNG decodes to exactly the raw pixels", () => {
    for (const scene of scenes) {
      const rendered = image(renderSvgInProcess(scene.svg, { size: 48 }));
      const decoded = decodePng(rendered.png);
      assert.deepEqual([decoded.width, decoded.height], [48, 48]);
      assert.deepEqual(decoded.rgba, rendered.rgba);
    }
  });
});
