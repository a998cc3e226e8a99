// Rasterizes one validated SVG with resvg onto a fixed square canvas. Shared by the sandboxed
// worker and the in-process path, so both produce the same pixels from the same code.
// Plain JavaScript: the worker runs it without tsx (see geometry-rule.mjs); types in rasterize.d.mts.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { imageSizeProblem } from "./geometry-rule.mjs";
import { encodePng } from "./png.mjs";

const fontDirectory = join(
  dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")),
  "ttf",
);

/** The only fonts resvg sees: system fonts stay off so every machine renders the same glyphs. */
export const bundledFontFiles = [
  "DejaVuSans.ttf",
  "DejaVuSans-Bold.ttf",
  "DejaVuSans-Oblique.ttf",
  "DejaVuSans-BoldOblique.ttf",
  "DejaVuSerif.ttf",
  "DejaVuSerif-Bold.ttf",
  "DejaVuSansMono.ttf",
  "DejaVuSansMono-Bold.ttf",
].map((name) => join(fontDirectory, name));

const sansFamily = "DejaVu Sans";

function resvgOptions(fitSide, size) {
  return {
    fitTo: { mode: fitSide, value: size },
    // Why: an opaque canvas makes resvg's premultiplied output equal to straight RGBA.
    background: "#ffffff",
    dpi: 96,
    logLevel: "off",
    // resvg-js 2.6.2 maps every generic family (serif, monospace, ...) and every unknown family
    // to defaultFontFamily and ignores its serifFamily-style options; named DejaVu families work.
    font: {
      loadSystemFonts: false,
      fontFiles: bundledFontFiles,
      defaultFontFamily: sansFamily,
      defaultFontSize: 12,
    },
  };
}

function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}

function parseTree(svg, fitSide, size) {
  try {
    return { tree: new Resvg(svg, resvgOptions(fitSide, size)) };
  } catch (error) {
    return { error: { status: "resvgError", detail: messageOf(error) } };
  }
}

function renderTree(tree) {
  try {
    const rendered = tree.render();
    return { pixels: rendered.pixels, width: rendered.width, height: rendered.height };
  } catch (error) {
    return { error: { status: "resvgError", detail: messageOf(error) } };
  }
}

/** Averages a run of `pixels.length / 4` RGBA pixels down to `count` (box filter, integer math). */
function squeeze(pixels, count) {
  const length = pixels.length / 4;
  const out = new Uint8Array(count * 4);
  for (let index = 0; index < count; index++) {
    const from = Math.floor((index * length) / count);
    const to = Math.max(from + 1, Math.floor(((index + 1) * length) / count));
    for (let channel = 0; channel < 4; channel++) {
      let sum = 0;
      for (let source = from; source < to; source++) sum += pixels[source * 4 + channel];
      out[index * 4 + channel] = Math.round(sum / (to - from));
    }
  }
  return out;
}

/**
 * Renders fitted to `size` on `fitSide`. Why the fallback: at a small output an extreme (but
 * valid) aspect makes the short side round to 0 px and resvg refuses; then the image is rendered
 * 1 px thick and its long side averaged down to `size`.
 */
function renderFitted(svg, tree, fitSide, size) {
  const fitted = renderTree(tree);
  if (!fitted.error || !/size is zero/i.test(fitted.error.detail)) return fitted;
  const parsed = parseTree(svg, fitSide === "width" ? "height" : "width", 1);
  if (parsed.error) return parsed;
  const sliver = renderTree(parsed.tree);
  if (sliver.error) return sliver;
  const pixels = squeeze(sliver.pixels, size);
  return fitSide === "width" ? { pixels, width: size, height: 1 } : { pixels, width: 1, height: size };
}

/**
 * Places the rendered image centred on a white size x size canvas. A side can overshoot `size`
 * when resvg's rounded width and height hide which side is longer (e.g. 1.4 x 1.45 px); the
 * overshoot is cropped, centred.
 */
function letterbox(pixels, width, height, size) {
  if (width === size && height === size)
    return new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.length);
  const canvas = new Uint8Array(size * size * 4).fill(255);
  const copyWidth = Math.min(width, size);
  const copyHeight = Math.min(height, size);
  const sourceX = Math.floor((width - copyWidth) / 2);
  const sourceY = Math.floor((height - copyHeight) / 2);
  const targetX = Math.floor((size - copyWidth) / 2);
  const targetY = Math.floor((size - copyHeight) / 2);
  for (let row = 0; row < copyHeight; row++) {
    const source = ((sourceY + row) * width + sourceX) * 4;
    canvas.set(pixels.subarray(source, source + copyWidth * 4), ((targetY + row) * size + targetX) * 4);
  }
  return canvas;
}

function assertOpaque(rgba) {
  for (let alpha = 3; alpha < rgba.length; alpha += 4) {
    if (rgba[alpha] !== 255)
      assert.fail(`pixel ${(alpha - 3) / 4} has alpha ${rgba[alpha]}; the canvas must be opaque`);
  }
}

/**
 * @param {import("./worker-protocol.ts").RasterizeRequest} request
 * @returns {import("./worker-protocol.ts").RasterizeResult}
 */
export function rasterizeSvg(request) {
  const { svg, size } = request;
  assert(Number.isInteger(size) && size >= 1, `output size ${size} must be a positive integer`);
  let parsed = parseTree(svg, request.fitSide, size);
  if (parsed.error) return parsed.error;
  // resvg's own (rounded) size is authoritative: it covers sizes the attributes leave open.
  const { width, height } = parsed.tree;
  const problem = imageSizeProblem(width, height, request);
  if (problem !== undefined) return { status: "badSize", width, height, problem };
  // The parent's hint comes from the unrounded attributes; overrule it only when resvg clearly disagrees.
  const disagrees = request.fitSide === "width" ? height > width : width > height;
  const fitSide = disagrees ? (request.fitSide === "width" ? "height" : "width") : request.fitSide;
  if (fitSide !== request.fitSide) {
    parsed = parseTree(svg, fitSide, size);
    if (parsed.error) return parsed.error;
  }
  const rendered = renderFitted(svg, parsed.tree, fitSide, size);
  if (rendered.error) return rendered.error;
  const rgba = letterbox(rendered.pixels, rendered.width, rendered.height, size);
  assert.equal(rgba.length, size * size * 4);
  assertOpaque(rgba);
  return {
    status: "rendered",
    width: size,
    height: size,
    rgba,
    png: encodePng(rgba, size, size),
    pixelSha256: createHash("sha256").update(rgba).digest("hex"),
  };
}
