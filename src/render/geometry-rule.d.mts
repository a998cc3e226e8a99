export interface ImageSizeLimits {
  readonly imageSideMax: number;
  readonly imageAspectMax: number;
}

/** Why a width x height image is not renderable by the reference's rule, or undefined when it is. */
export declare function imageSizeProblem(
  width: number,
  height: number,
  limits: ImageSizeLimits,
): string | undefined;
