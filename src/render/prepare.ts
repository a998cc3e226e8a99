// The parent-side steps every render takes before a renderer sees anything: size limit, text
// decoding, extraction and validation. Pure and linear in the (bounded) input, so it runs in the
// calling process; only rendering goes to the sandbox.
import assert from "node:assert/strict";
import { extractSvg } from "./extract.ts";
import { outputSizeMax, outputSizeMin, type SvgLimits } from "./limits.ts";
import { noCode, notSvgLike, type RenderFailure, type SvgSource, tooLarge, xmlError } from "./outcome.ts";
import { validateSvg } from "./validate.ts";
import type { RasterizeRequest } from "./worker-protocol.ts";

export interface RenderOptions {
  /** Output side in px; the image is size x size, the SVG fitted inside and letterboxed on white. */
  readonly size: number;
  /**
   * Find the SVG in a model output first (the reference's rules, extract.ts). Turn off to treat
   * the whole input as one SVG document. @default true
   */
  readonly extract?: boolean;
}

export type PreparedRender =
  | { readonly kind: "request"; readonly request: RasterizeRequest; readonly source: SvgSource }
  | { readonly kind: "refused"; readonly outcome: RenderFailure };

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
// A lone surrogate is what invalid UTF-8 becomes in a JavaScript string.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function byteLength(input: string | Uint8Array): number {
  return typeof input === "string" ? Buffer.byteLength(input, "utf8") : input.byteLength;
}

function decode(input: string | Uint8Array): { text: string } | { failure: RenderFailure } {
  if (typeof input === "string") {
    return loneSurrogate.test(input)
      ? { failure: xmlError("parser", "the text has a lone UTF-16 surrogate (not valid Unicode)") }
      : { text: input };
  }
  try {
    return { text: strictUtf8.decode(input) };
  } catch {
    return { failure: xmlError("parser", "the bytes are not valid UTF-8") };
  }
}

export function assertOutputSize(size: number): void {
  assert(Number.isInteger(size), `output size ${size} must be an integer number of pixels`);
  assert(
    size >= outputSizeMin && size <= outputSizeMax,
    `output size ${size} must be in [${outputSizeMin}, ${outputSizeMax}]`,
  );
}

export function prepareRender(
  input: string | Uint8Array,
  options: RenderOptions,
  limits: SvgLimits,
): PreparedRender {
  assertOutputSize(options.size);
  // Why: a string's UTF-8 length is at least its length, so huge inputs are refused before a scan.
  const bytes = input.length > limits.inputBytesMax ? input.length : byteLength(input);
  if (bytes > limits.inputBytesMax)
    return { kind: "refused", outcome: tooLarge("inputBytes", bytes, limits.inputBytesMax) };
  const decoded = decode(input);
  if ("failure" in decoded) return { kind: "refused", outcome: decoded.failure };
  let svg = decoded.text;
  let source: SvgSource = "document";
  if (options.extract ?? true) {
    const extraction = extractSvg(decoded.text);
    if (extraction.kind === "noCode") return { kind: "refused", outcome: noCode(extraction.svgLike) };
    if (!extraction.svgLike) return { kind: "refused", outcome: notSvgLike(extraction.source) };
    svg = extraction.code;
    source = extraction.source;
  }
  const validation = validateSvg(svg, limits);
  if (validation.kind === "invalid") return { kind: "refused", outcome: validation.outcome };
  const { imageSideMax, imageAspectMax } = limits;
  return {
    kind: "request",
    request: { svg, size: options.size, fitSide: validation.fitSide, imageSideMax, imageAspectMax },
    source,
  };
}
