import type { RasterizeRequest, RasterizeResult } from "./worker-protocol.ts";

/** Absolute paths of the DejaVu fonts (npm package dejavu-fonts-ttf) given to resvg. */
export declare const bundledFontFiles: readonly string[];

/**
 * Renders a validated SVG to `size` x `size` straight RGBA on opaque white (letterboxed, aspect
 * kept), with PNG bytes and the SHA-256 of the pixels. Never call it on unvalidated input in the
 * calling process: resvg reads local files and can abort the process (docs/render.md).
 */
export declare function rasterizeSvg(request: RasterizeRequest): RasterizeResult;
