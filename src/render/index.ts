// Sandboxed, deterministic SVG rendering for the Coder's output (docs/render.md).
export { RenderPoolBrokenError, RenderPoolClosedError, RenderQueueFullError } from "./errors.ts";
export { extractSvg, isSvgLike, type SvgExtraction } from "./extract.ts";
export { renderSvgInProcess } from "./in-process.ts";
export {
  dataUrlBytesMax,
  defaultSvgLimits,
  elementCountMax,
  imageAspectMax,
  imageSideMax,
  inputBytesMax,
  nestingDepthMax,
  outputSizeMax,
  outputSizeMin,
  type SvgLimits,
} from "./limits.ts";
export {
  type CoderFailureTier,
  coderFailureTier,
  type ForbiddenReason,
  type RenderedImage,
  type RenderFailure,
  type RenderFailureKind,
  type RenderOutcome,
  type SvgSource,
  type TooLargeLimit,
} from "./outcome.ts";
export { createRenderPool, type RenderPool, type RenderPoolOptions, type RenderPoolStats } from "./pool.ts";
export type { RenderOptions } from "./prepare.ts";
export { type SvgValidation, svgNamespace, type ValidationProblem, validateSvg } from "./validate.ts";
