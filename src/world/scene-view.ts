/**
 * A world scene seen through a shifted camera: the same SVG with its viewBox origin moved, so the
 * scene's content lands a fraction of a pixel (or a few) away from where the writer put it, and
 * patch boundaries cut it elsewhere. The scene, its caption and every question's answer are
 * unchanged: within `viewShiftMax` every element stays on the canvas (charts, shapes and diagrams
 * keep a margin of at least one unit; a table's edge cells, 7 units wide, may lose one).
 *
 * Why (docs/learning.md E38): the Solver's misreads repeat in most of its samples of one image, so
 * a vote over samples cannot outvote them; a vote over views can only help if the model's errors on
 * different views of one scene are partly independent.
 */
import type { KeyedRandom } from "../rng/index.ts";
import { svgHeaderToken } from "./layout.ts";

/** Largest shift per axis, in canvas units (1.5 px at 48 px): the writer's margin. */
export const viewShiftMax = 1;

/** Shifts are multiples of this many units, so the SVG text stays short and the arithmetic exact. */
export const viewShiftQuantum = 1 / 16;

export interface ViewShift {
  /** Canvas units the content moves right (negative: left). */
  readonly dx: number;
  /** Canvas units the content moves down (negative: up). */
  readonly dy: number;
}

/** The SVG does not start with the world writer's header, so it is not a world scene. */
export class SceneViewError extends Error {
  override readonly name = "SceneViewError";
}

/** A shift bound (or one axis's shift, as a magnitude): on the 1/16 grid within [0, `viewShiftMax`]. */
export function isViewJitter(units: number): boolean {
  return units >= 0 && units <= viewShiftMax && Number.isInteger(units / viewShiftQuantum);
}

/** What `isViewJitter` accepts, for error messages. */
export const viewJitterRule = `a multiple of ${viewShiftQuantum} within [0, ${viewShiftMax}] canvas units`;

function assertShift(shift: ViewShift): void {
  for (const [axis, value] of [
    ["dx", shift.dx],
    ["dy", shift.dy],
  ] as const)
    if (!isViewJitter(Math.abs(value)))
      throw new RangeError(
        `view shift ${axis} ${value} must be a multiple of ${viewShiftQuantum} within ±${viewShiftMax} canvas units`,
      );
}

/** The scene's SVG with its content moved by `shift` (the viewBox origin moves the other way). */
export function shiftedSceneSvg(svg: string, shift: ViewShift): string {
  assertShift(shift);
  if (!svg.startsWith(svgHeaderToken))
    throw new SceneViewError(`a view shift needs a world scene SVG starting ${svgHeaderToken}`);
  const header = svgHeaderToken.replace(`viewBox="0 0 `, `viewBox="${-shift.dx} ${-shift.dy} `);
  return header + svg.slice(svgHeaderToken.length);
}

/**
 * A shift drawn uniformly from the multiples of `viewShiftQuantum` within ±`jitter` per axis, from
 * draws 0 and 1 of `random` (keyed by whatever is being seen, so the same example always gets the
 * same view).
 */
export function drawViewShift(random: KeyedRandom, jitter: number): ViewShift {
  if (!isViewJitter(jitter)) throw new RangeError(`view jitter ${jitter} must be ${viewJitterRule}`);
  const steps = jitter / viewShiftQuantum;
  const axis = (draw: number) =>
    (Math.floor(random.uniformAt(draw) * (2 * steps + 1)) - steps) * viewShiftQuantum;
  return { dx: axis(0), dy: axis(1) };
}
