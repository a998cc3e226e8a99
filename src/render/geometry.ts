// Resolves an SVG's own size from its root attributes the way resvg (usvg) does for the common
// cases, so absurd sizes are refused before resvg sees the document. resvg's own numbers are
// checked again in the worker (rasterize.mjs), which also covers sizes the attributes leave open.
import { imageSizeProblem } from "./geometry-rule.mjs";
import type { SvgLimits } from "./limits.ts";
import { type BadGeometry, badGeometry } from "./outcome.ts";
import type { FitSide } from "./worker-protocol.ts";

export interface RootSizeAttributes {
  readonly width: string | undefined;
  readonly height: string | undefined;
  readonly viewBox: string | undefined;
}

export type GeometryCheck =
  | { readonly kind: "ok"; readonly fitSide: FitSide }
  | { readonly kind: "bad"; readonly outcome: BadGeometry };

// Why: resvg's defaults (dpi 96, font size 12) fix the absolute units and em/ex.
const pixelsPerUnit: Readonly<Record<string, number>> = {
  "": 1,
  px: 1,
  in: 96,
  cm: 96 / 2.54,
  mm: 96 / 25.4,
  pt: 96 / 72,
  pc: 16,
  em: 12,
  ex: 6,
};
const lengthPattern =
  /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(px|in|cm|mm|pt|pc|em|ex|%)?\s*$/;

type Length =
  | { readonly kind: "absolute"; readonly pixels: number }
  | { readonly kind: "percent"; readonly percent: number };

function parseLength(text: string): Length | undefined {
  const match = lengthPattern.exec(text);
  if (match === null) return undefined;
  const value = Number(match[1]);
  const unit = match[2] ?? "";
  if (unit === "%") return { kind: "percent", percent: value };
  const scale = pixelsPerUnit[unit];
  return scale === undefined ? undefined : { kind: "absolute", pixels: value * scale };
}

function parseViewBox(text: string): readonly number[] | undefined {
  const numbers = text
    .trim()
    .split(/[\s,]+/)
    .map(Number);
  return numbers.length === 4 && numbers.every(Number.isFinite) ? numbers : undefined;
}

/** One side: absolute, a percentage of the viewBox side (missing = 100%), or open (resvg uses the content). */
function resolveSide(text: string | undefined, viewBoxSide: number | undefined): number | string | undefined {
  const length = text === undefined ? ({ kind: "percent", percent: 100 } as const) : parseLength(text);
  if (length === undefined) return `${JSON.stringify(text)} is not a length`;
  if (length.kind === "absolute") return length.pixels;
  return viewBoxSide === undefined ? undefined : (viewBoxSide * length.percent) / 100;
}

export function checkRootGeometry(attributes: RootSizeAttributes, limits: SvgLimits): GeometryCheck {
  let viewBox: readonly number[] | undefined;
  if (attributes.viewBox !== undefined) {
    viewBox = parseViewBox(attributes.viewBox);
    const [, , boxWidth, boxHeight] = viewBox ?? [];
    if (boxWidth === undefined || boxHeight === undefined || !(boxWidth > 0 && boxHeight > 0)) {
      const detail = `viewBox=${JSON.stringify(attributes.viewBox)} needs 4 numbers with a positive width and height`;
      return { kind: "bad", outcome: badGeometry(boxWidth ?? null, boxHeight ?? null, detail) };
    }
  }
  const width = resolveSide(attributes.width, viewBox?.[2]);
  const height = resolveSide(attributes.height, viewBox?.[3]);
  if (typeof width === "string" || typeof height === "string") {
    const detail = typeof width === "string" ? `width ${width}` : `height ${height}`;
    return { kind: "bad", outcome: badGeometry(null, null, detail) };
  }
  if (width === undefined || height === undefined) {
    return { kind: "ok", fitSide: "width" };
  }
  const problem = imageSizeProblem(width, height, limits);
  if (problem !== undefined) return { kind: "bad", outcome: badGeometry(width, height, problem) };
  return { kind: "ok", fitSide: height > width ? "height" : "width" };
}
