/**
 * Limits on untrusted SVG, checked before a single pixel is allocated. Each has a unit in its name.
 * The geometry rule (image side and aspect) is the reference's validity rule for a render
 * (mm-zero-algorithm.md, Coder: "neither side 0, aspect <= 100, max side <= 16384").
 */
export interface SvgLimits {
  /** Bytes of the whole input (model output or SVG document), UTF-8. */
  readonly inputBytesMax: number;
  /** Elements in the document. */
  readonly elementCountMax: number;
  /** Element nesting depth; the root `<svg>` is depth 1. */
  readonly nestingDepthMax: number;
  /** Characters of one `data:image/png|jpeg;base64,...` URL. */
  readonly dataUrlBytesMax: number;
  /** Longer side of the SVG's own size (its width/height/viewBox), in px. */
  readonly imageSideMax: number;
  /** Longer side divided by the shorter side of the SVG's own size. */
  readonly imageAspectMax: number;
}

// Why: a Coder output of a few thousand tokens is a few KiB; 512 KiB leaves room for data
// images while keeping the worst-case parse well under a millisecond per KiB.
export const inputBytesMax = 512 * 1024;
// Why: a dense chart is a few hundred elements; 10^4 keeps resvg's tree small.
export const elementCountMax = 10_000;
// Why: real drawings nest a few groups deep; resvg recurses per level, so keep far from its stack.
export const nestingDepthMax = 64;
export const dataUrlBytesMax = 64 * 1024;
export const imageSideMax = 16_384;
export const imageAspectMax = 100;

export const defaultSvgLimits: SvgLimits = {
  inputBytesMax,
  elementCountMax,
  nestingDepthMax,
  dataUrlBytesMax,
  imageSideMax,
  imageAspectMax,
};

/** Output side bounds, in px: the Solver's input (e.g. 32) up to a large preview. */
export const outputSizeMin = 1;
export const outputSizeMax = 4096;
