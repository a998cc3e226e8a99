/**
 * The pixel layout of every scene on the 32x32 canvas, and the SVG tokens that spell it. Writer,
 * reader and vocabulary all read these tables, so they cannot drift apart.
 *
 * Attributes that always travel together are one token (` cx="6" cy="6" r="4"`): the Coder then makes
 * one choice per decision (which cell, which value, which colour) and a scene's SVG stays <= 64 tokens.
 */
import { colours } from "./lexicon.ts";
import {
  barCountMax,
  barValueMax,
  geometryGridColumns,
  nodeCountMax,
  tableCellsMax,
  tableColumnsMax,
  tableRowsMax,
} from "./scene.ts";

export const canvasSizePixels = 32;
export const svgHeaderToken = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${canvasSizePixels} ${canvasSizePixels}">`;
export const svgFooterToken = "</svg>";
export const elementEndToken = "/>";
export const rectToken = "<rect";
export const circleToken = "<circle";
export const polygonToken = "<polygon";
export const lineToken = "<line";

// Bar chart: slot k spans x = 1 + 5k .. 4 + 5k; a bar of value v rises 3v pixels from the baseline.
export const barSlotPitchPixels = 5;
export const barWidthPixels = 4;
export const barUnitPixels = 3;
export const barBaselinePixels = 31;

// Geometry: a 3x3 grid of 10-pixel cells from (1, 1); each shape fills an 8x8 box inset by 1 pixel.
export const geometryCellPixels = 10;
export const shapeBoxPixels = 8;
export const geometryRowsMax = 3;

// Table: 8-pixel pitch, one 7x7 cell per 8x8 image patch.
export const tableCellPitchPixels = 8;
export const tableCellPixels = 7;

// Diagram: five node slots on a pentagon (convex, so no link passes through a third node).
export const nodeSlots: readonly (readonly [x: number, y: number])[] = [
  [16, 5],
  [27, 13],
  [23, 26],
  [9, 26],
  [5, 13],
];
export const nodeRadiusPixels = 4;
export const linkStrokeToken = ' stroke="black" stroke-width="2"';

export function fillToken(colour: string): string {
  return ` fill="${colour}"`;
}

export function barSlotX(slot: number): number {
  return 1 + barSlotPitchPixels * slot;
}

export function barXToken(slot: number): string {
  return ` x="${barSlotX(slot)}"`;
}

/** y, width and height of a bar of this value, one token. */
export function barBodyToken(value: number): string {
  const height = barUnitPixels * value;
  return ` y="${barBaselinePixels - height}" width="${barWidthPixels}" height="${height}"`;
}

/** Top-left corner of a geometry shape's box in grid cell (row, column), 0-based. */
export function shapeBoxOrigin(row: number, column: number): [x: number, y: number] {
  return [2 + geometryCellPixels * column, 2 + geometryCellPixels * row];
}

export function circlePlacementToken(centreX: number, centreY: number, radius: number): string {
  return ` cx="${centreX}" cy="${centreY}" r="${radius}"`;
}

export function shapeCircleToken(row: number, column: number): string {
  const [x, y] = shapeBoxOrigin(row, column);
  const half = shapeBoxPixels / 2;
  return circlePlacementToken(x + half, y + half, half);
}

export function squarePlacementToken(x: number, y: number, size: number): string {
  return ` x="${x}" y="${y}" width="${size}" height="${size}"`;
}

export function shapeSquareToken(row: number, column: number): string {
  const [x, y] = shapeBoxOrigin(row, column);
  return squarePlacementToken(x, y, shapeBoxPixels);
}

/** The triangle's corners: apex at the top middle, then bottom right, bottom left. */
export function trianglePoints(row: number, column: number): [number, number][] {
  const [x, y] = shapeBoxOrigin(row, column);
  return [
    [x + shapeBoxPixels / 2, y],
    [x + shapeBoxPixels, y + shapeBoxPixels],
    [x, y + shapeBoxPixels],
  ];
}

export function shapeTriangleToken(row: number, column: number): string {
  const points = trianglePoints(row, column).map(([x, y]) => `${x},${y}`);
  return ` points="${points.join(" ")}"`;
}

/** Top-left corner of table cell (row, column), 0-based. */
export function tableCellOrigin(row: number, column: number): [x: number, y: number] {
  return [1 + tableCellPitchPixels * column, 1 + tableCellPitchPixels * row];
}

export function tableCellToken(row: number, column: number): string {
  const [x, y] = tableCellOrigin(row, column);
  return squarePlacementToken(x, y, tableCellPixels);
}

export function nodeToken(slot: number): string {
  const [x, y] = nodeSlots[slot]!;
  return circlePlacementToken(x, y, nodeRadiusPixels);
}

export function linkToken(from: number, to: number): string {
  const [x1, y1] = nodeSlots[from]!;
  const [x2, y2] = nodeSlots[to]!;
  return ` x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}"`;
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}

/** Every SVG token any scene can use, in a fixed order. */
export function layoutTokens(): string[] {
  const cells = range(geometryRowsMax).flatMap((row) =>
    range(geometryGridColumns).map((column) => [row, column] as const),
  );
  // A cell at (row, column) needs a table of at least (row + 1) x (column + 1) cells.
  const tableCells = range(tableRowsMax)
    .flatMap((row) => range(tableColumnsMax).map((column) => [row, column] as const))
    .filter(([row, column]) => (row + 1) * (column + 1) <= tableCellsMax);
  const slots = range(nodeCountMax);
  return [
    svgHeaderToken,
    svgFooterToken,
    rectToken,
    circleToken,
    polygonToken,
    lineToken,
    elementEndToken,
    linkStrokeToken,
    ...colours.map(fillToken),
    ...range(barCountMax).map(barXToken),
    ...range(barValueMax).map((index) => barBodyToken(index + 1)),
    ...cells.map(([row, column]) => shapeCircleToken(row, column)),
    ...cells.map(([row, column]) => shapeSquareToken(row, column)),
    ...cells.map(([row, column]) => shapeTriangleToken(row, column)),
    ...tableCells.map(([row, column]) => tableCellToken(row, column)),
    ...slots.map(nodeToken),
    ...slots.flatMap((from) => slots.filter((to) => to > from).map((to) => linkToken(from, to))),
  ];
}
