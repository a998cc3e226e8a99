// Rendering in the calling process, without the sandbox: no timeout, no memory limit, and a
// hostile SVG that passes validation can still hang or abort this process (docs/render.md).
// It exists for trusted inputs, for comparing pixels with the pool, and as a benchmark baseline.
import { defaultSvgLimits, type SvgLimits } from "./limits.ts";
import { outcomeFromRasterizeResult, type RenderOutcome } from "./outcome.ts";
import { prepareRender, type RenderOptions } from "./prepare.ts";
import { rasterizeSvg } from "./rasterize.mjs";

export function renderSvgInProcess(
  input: string | Uint8Array,
  options: RenderOptions,
  limits: SvgLimits = defaultSvgLimits,
): RenderOutcome {
  const prepared = prepareRender(input, options, limits);
  if (prepared.kind === "refused") return prepared.outcome;
  return outcomeFromRasterizeResult(rasterizeSvg(prepared.request), prepared.source);
}
