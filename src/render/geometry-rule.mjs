// The reference's validity rule for the size of an image (mm-zero-algorithm.md, Coder). Plain
// JavaScript because the render worker is a plain .mjs module (it starts ~3x faster without tsx)
// and must apply the same rule to resvg's own numbers that the parent applies to the attributes.

/**
 * @param {number} width
 * @param {number} height
 * @param {{ imageSideMax: number, imageAspectMax: number }} limits
 * @returns {string | undefined} why the size is not renderable, or undefined when it is
 */
export function imageSizeProblem(width, height, limits) {
  if (!Number.isFinite(width) || !Number.isFinite(height)) return "a side is not a finite number";
  if (width <= 0 || height <= 0) return "a side is zero or negative";
  const longer = Math.max(width, height);
  if (longer > limits.imageSideMax) return `the longer side exceeds ${limits.imageSideMax} px`;
  if (longer / Math.min(width, height) > limits.imageAspectMax) {
    return `the aspect ratio exceeds ${limits.imageAspectMax}`;
  }
  return undefined;
}
