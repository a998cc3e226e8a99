// What a render request comes to: an image, or one typed failure with a message for people.
// The Coder's reward tiers (mm-zero-algorithm.md, Coder) are read from these by coderFailureTier.
import assert from "node:assert/strict";
import { decodePng } from "./png.mjs";
import type { RasterizeResult, WireResult } from "./worker-protocol.ts";

/** Where the SVG came from in the model output (extract.ts); "document" when extraction was off. */
export type SvgSource = "svgFence" | "xmlFence" | "rawSvg" | "document";

export interface RenderedImage {
  /** Always the requested size: the SVG is fitted inside and letterboxed on white. */
  readonly width: number;
  readonly height: number;
  /** Straight (un-premultiplied) RGBA, row-major, every pixel opaque. */
  readonly rgba: Uint8Array;
  readonly png: Uint8Array;
  /** SHA-256 (hex) of `rgba`: the determinism contract; the PNG bytes are not part of it. */
  readonly pixelSha256: string;
}

export type ForbiddenReason =
  | "doctype"
  | "processingInstruction"
  | "forbiddenElement"
  | "eventHandler"
  | "externalReference"
  | "cssImport"
  | "cssEscape";

export type TooLargeLimit = "inputBytes" | "elementCount" | "nestingDepth" | "dataUrlBytes";

export type RenderOk = { readonly kind: "ok"; readonly image: RenderedImage; readonly source: SvgSource };
export type NoCode = { readonly kind: "NoCode"; readonly message: string; readonly svgLike: boolean };
export type NotSvgLike = {
  readonly kind: "NotSvgLike";
  readonly message: string;
  readonly source: SvgSource;
};
export type XmlError = {
  readonly kind: "XmlError";
  readonly message: string;
  /** "parser": our XML check (saxes) or the UTF-8 decode; "resvg": resvg refused the document. */
  readonly origin: "parser" | "resvg";
  readonly detail: string;
};
export type Forbidden = {
  readonly kind: "Forbidden";
  readonly message: string;
  readonly reason: ForbiddenReason;
  readonly detail: string;
};
export type TooLarge = {
  readonly kind: "TooLarge";
  readonly message: string;
  readonly limit: TooLargeLimit;
  /** Lower bound when counting stopped early at the limit. */
  readonly actual: number;
  readonly maximum: number;
};
export type BadGeometry = {
  readonly kind: "BadGeometry";
  readonly message: string;
  /** The SVG's own size in px where it could be resolved. */
  readonly width: number | null;
  readonly height: number | null;
  readonly detail: string;
};
export type Timeout = { readonly kind: "Timeout"; readonly message: string; readonly timeoutMs: number };
export type RendererCrash = {
  readonly kind: "RendererCrash";
  readonly message: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** The end of the worker's stderr (e.g. Rust's "memory allocation of N bytes failed"). */
  readonly detail: string;
};

export type RenderFailure =
  | NoCode
  | NotSvgLike
  | XmlError
  | Forbidden
  | TooLarge
  | BadGeometry
  | Timeout
  | RendererCrash;
export type RenderOutcome = RenderOk | RenderFailure;
export type RenderFailureKind = RenderFailure["kind"];

const fenceHint = "a ```svg block, a ```xml block containing <svg, or a raw <svg ...</svg>";

export function noCode(svgLike: boolean): NoCode {
  const why = svgLike ? " (the text looks like SVG: is the closing </svg> or the fence missing?)" : "";
  return { kind: "NoCode", message: `no SVG found in the output; expected ${fenceHint}${why}`, svgLike };
}

export function notSvgLike(source: SvgSource): NotSvgLike {
  return {
    kind: "NotSvgLike",
    message: `the extracted code (${source}) is not SVG: it neither starts with "<" nor contains "<svg"`,
    source,
  };
}

export function xmlError(origin: XmlError["origin"], detail: string): XmlError {
  const who = origin === "resvg" ? "resvg refused the document" : "the SVG is not well-formed XML";
  return { kind: "XmlError", message: `${who}: ${detail}`, origin, detail };
}

export function forbidden(reason: ForbiddenReason, detail: string): Forbidden {
  return {
    kind: "Forbidden",
    message: `the SVG uses ${detail}, which untrusted SVG may not (${reason}); only #fragment references and small data:image/png|jpeg images are allowed`,
    reason,
    detail,
  };
}

export function tooLarge(limit: TooLargeLimit, actual: number, maximum: number): TooLarge {
  return {
    kind: "TooLarge",
    message: `the SVG is too large: ${limit} ${actual} > ${maximum}`,
    limit,
    actual,
    maximum,
  };
}

export function badGeometry(width: number | null, height: number | null, detail: string): BadGeometry {
  const size = width === null || height === null ? "" : ` ${width} x ${height}`;
  return {
    kind: "BadGeometry",
    message: `the SVG's size${size} is not renderable: ${detail} (need positive sides, aspect <= 100, sides <= 16384)`,
    width,
    height,
    detail,
  };
}

export function timeout(timeoutMs: number): Timeout {
  return {
    kind: "Timeout",
    message: `rendering took longer than ${timeoutMs} ms and was stopped; simplify filters, text or paths`,
    timeoutMs,
  };
}

export function rendererCrash(exitCode: number | null, signal: string | null, detail: string): RendererCrash {
  const how = signal === null ? `exit code ${exitCode}` : `signal ${signal}`;
  const said = detail.length > 0 ? `: ${detail}` : "";
  return {
    kind: "RendererCrash",
    message: `the renderer process died (${how}) while rendering this SVG${said}`,
    exitCode,
    signal,
    detail,
  };
}

/** Maps what a rasterizer reported to an outcome; shared by the pool and the in-process path. */
export function outcomeFromRasterizeResult(
  result: RasterizeResult | WireResult,
  source: SvgSource,
): RenderOutcome {
  switch (result.status) {
    case "rendered": {
      const { width, height, rgba, png, pixelSha256 } = result;
      return { kind: "ok", image: { width, height, rgba, png, pixelSha256 }, source };
    }
    case "renderedPng":
      return {
        kind: "ok",
        image: new PngBackedImage(result.width, result.height, result.png, result.pixelSha256),
        source,
      };
    case "badSize":
      return badGeometry(result.width, result.height, `${result.problem} (as resvg resolves it)`);
    case "resvgError":
      return /invalid size/i.test(result.detail)
        ? badGeometry(null, null, result.detail)
        : xmlError("resvg", result.detail);
  }
}

/** An image whose pixels are decoded from its PNG on first use, then kept. */
class PngBackedImage implements RenderedImage {
  #rgba: Uint8Array | undefined;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly png: Uint8Array,
    readonly pixelSha256: string,
  ) {}

  get rgba(): Uint8Array {
    if (this.#rgba === undefined) {
      const decoded = decodePng(this.png);
      assert(
        decoded.width === this.width && decoded.height === this.height,
        "the PNG's size differs from the image's",
      );
      this.#rgba = decoded.rgba;
    }
    return this.#rgba;
  }
}

/**
 * The release's Coder flags: a failed render scores -(0.1 + 0.05*noCodeExtracted + 0.5*notSvgLike),
 * floored at -0.5 (src/rewards computes that; this only says which flags hold).
 */
export type CoderFailureTier =
  | { readonly rendered: true }
  | { readonly rendered: false; readonly noCodeExtracted: boolean; readonly notSvgLike: boolean };

export function coderFailureTier(outcome: RenderOutcome): CoderFailureTier {
  switch (outcome.kind) {
    case "ok":
      return { rendered: true };
    case "NoCode":
      return { rendered: false, noCodeExtracted: true, notSvgLike: !outcome.svgLike };
    case "NotSvgLike":
      return { rendered: false, noCodeExtracted: false, notSvgLike: true };
    case "XmlError":
    case "Forbidden":
    case "TooLarge":
    case "BadGeometry":
    case "Timeout":
    case "RendererCrash":
      return { rendered: false, noCodeExtracted: false, notSvgLike: false };
    default:
      return assertNever(outcome);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled render outcome ${JSON.stringify(value)}`);
}
