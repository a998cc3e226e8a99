// The messages between the pool (parent) and a render worker (child process). The parent decodes
// every reply: the child ran untrusted input through native code, so its messages are checked
// like any other input.
import { Schema } from "effect";

/** Which side resvg scales to the output size; the other side is letterboxed. */
export const FitSide = Schema.Literals(["width", "height"]);
export type FitSide = typeof FitSide.Type;

export interface RasterizeRequest {
  readonly svg: string;
  /** Output side in px: the image is `size` x `size`. */
  readonly size: number;
  /** Guess from the attributes; the worker re-renders with the other side if resvg disagrees. */
  readonly fitSide: FitSide;
  readonly imageSideMax: number;
  readonly imageAspectMax: number;
}

export const Rendered = Schema.Struct({
  status: Schema.Literal("rendered"),
  width: Schema.Int,
  height: Schema.Int,
  /** Straight (un-premultiplied) RGBA, every pixel opaque: the canvas starts opaque white. */
  rgba: Schema.Uint8Array,
  png: Schema.Uint8Array,
  pixelSha256: Schema.String,
});

/** resvg resolved a size that breaks the reference's validity rule. */
export const BadSize = Schema.Struct({
  status: Schema.Literal("badSize"),
  width: Schema.Number,
  height: Schema.Number,
  problem: Schema.String,
});

/** resvg refused the document (e.g. no SVG namespace, its node limit). */
export const ResvgError = Schema.Struct({
  status: Schema.Literal("resvgError"),
  detail: Schema.String,
});

export const RasterizeResult = Schema.Union([Rendered, BadSize, ResvgError]);
export type RasterizeResult = typeof RasterizeResult.Type;

/**
 * A rendered image as a worker sends it: the PNG only. Why: receiving the raw pixels of a 224 px
 * image cost the parent ~0.5 ms per render (measured), while the PNG is ~6 KB and decodes
 * (~0.15 ms) only when a caller reads `rgba`.
 */
export const RenderedPng = Schema.Struct({
  status: Schema.Literal("renderedPng"),
  width: Schema.Int,
  height: Schema.Int,
  png: Schema.Uint8Array,
  pixelSha256: Schema.String,
});

export const WireResult = Schema.Union([RenderedPng, BadSize, ResvgError]);
export type WireResult = typeof WireResult.Type;

export const WorkerReady = Schema.Struct({ type: Schema.Literal("ready") });
export const WorkerResult = Schema.Struct({
  type: Schema.Literal("result"),
  id: Schema.Int,
  result: WireResult,
});
export const WorkerMessage = Schema.Union([WorkerReady, WorkerResult]);
export type WorkerMessage = typeof WorkerMessage.Type;

export const decodeWorkerMessage = Schema.decodeUnknownSync(WorkerMessage);

/** What the parent sends: one render, answered by exactly one WorkerResult with the same id. */
export interface RenderJob {
  readonly id: number;
  readonly request: RasterizeRequest;
}
