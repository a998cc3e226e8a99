/**
 * Scenes: the structured content behind every caption, image and question of the world.
 * A scene is plain data; its canonical caption is its signature (two scenes are equal iff their
 * captions are), which the benchmark partition and the oracle rely on.
 */
import type { Colour, Shape } from "./lexicon.ts";

export interface Bar {
  readonly colour: Colour;
  /** Height in value units, 1..barValueMax. */
  readonly value: number;
}

/** data_chart: a vertical bar chart, bars left to right, each colour at most once. */
export interface BarChartScene {
  readonly contentType: "data_chart";
  readonly bars: readonly Bar[];
}

export interface ShapeItem {
  readonly colour: Colour;
  readonly shape: Shape;
}

/** geometry: shapes filling a 3x3 grid in reading order (row by row, left to right). */
export interface GeometryScene {
  readonly contentType: "geometry";
  readonly shapes: readonly ShapeItem[];
}

/** table: a rectangular grid of coloured cells, listed row by row. */
export interface TableScene {
  readonly contentType: "table";
  readonly rows: readonly (readonly Colour[])[];
}

/** A link between two nodes, by node index, `from < to`. */
export type Link = readonly [from: number, to: number];

/** diagram: a network of distinctly coloured nodes on fixed slots, joined by undirected links. */
export interface DiagramScene {
  readonly contentType: "diagram";
  readonly nodes: readonly Colour[];
  /** Sorted by (from, to); no duplicates, no self links. */
  readonly links: readonly Link[];
}

export type Scene = BarChartScene | GeometryScene | TableScene | DiagramScene;

// Scene limits. Why these: every scene must stay legible at 32x32 pixels and its caption, SVG and
// questions must fit the token budgets of docs/world.md (caption <= 18 tokens, SVG <= 64 tokens).
export const barCountMin = 3;
export const barCountMax = 6;
export const barValueMax = 9;
export const shapeCountMin = 2;
export const shapeCountMax = 8;
export const geometryGridColumns = 3;
export const tableRowsMin = 2;
export const tableRowsMax = 4;
export const tableColumnsMin = 2;
export const tableColumnsMax = 4;
export const tableCellsMax = 12;
export const nodeCountMin = 3;
export const nodeCountMax = 5;
export const linkCountMin = 1;
export const linkCountMax = 5;

function hasDuplicates(values: readonly string[]): boolean {
  return new Set(values).size !== values.length;
}

function barChartProblem(scene: BarChartScene): string | undefined {
  const count = scene.bars.length;
  if (count < barCountMin || count > barCountMax) return `${count} bars, need ${barCountMin}..${barCountMax}`;
  if (hasDuplicates(scene.bars.map((bar) => bar.colour))) return "two bars share a colour";
  const bad = scene.bars.find(
    (bar) => !Number.isInteger(bar.value) || bar.value < 1 || bar.value > barValueMax,
  );
  return bad === undefined ? undefined : `bar value ${bad.value} is outside 1..${barValueMax}`;
}

function geometryProblem(scene: GeometryScene): string | undefined {
  const count = scene.shapes.length;
  return count < shapeCountMin || count > shapeCountMax
    ? `${count} shapes, need ${shapeCountMin}..${shapeCountMax}`
    : undefined;
}

function tableProblem(scene: TableScene): string | undefined {
  const rowCount = scene.rows.length;
  if (rowCount < tableRowsMin || rowCount > tableRowsMax)
    return `${rowCount} rows, need ${tableRowsMin}..${tableRowsMax}`;
  const columnCount = scene.rows[0]?.length ?? 0;
  if (scene.rows.some((row) => row.length !== columnCount)) return "rows have different lengths";
  if (columnCount < tableColumnsMin || columnCount > tableColumnsMax) {
    return `${columnCount} columns, need ${tableColumnsMin}..${tableColumnsMax}`;
  }
  const cells = rowCount * columnCount;
  return cells > tableCellsMax ? `${cells} cells, at most ${tableCellsMax}` : undefined;
}

function diagramProblem(scene: DiagramScene): string | undefined {
  const count = scene.nodes.length;
  if (count < nodeCountMin || count > nodeCountMax)
    return `${count} nodes, need ${nodeCountMin}..${nodeCountMax}`;
  if (hasDuplicates(scene.nodes)) return "two nodes share a colour";
  const links = scene.links.length;
  if (links < linkCountMin || links > linkCountMax)
    return `${links} links, need ${linkCountMin}..${linkCountMax}`;
  for (let index = 0; index < links; index++) {
    const [from, to] = scene.links[index]!;
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to >= count || from >= to) {
      return `link ${from}-${to} does not join two different nodes in order`;
    }
    const previous = scene.links[index - 1];
    if (previous !== undefined && (previous[0] > from || (previous[0] === from && previous[1] >= to))) {
      return "links are not sorted or repeat";
    }
  }
  return undefined;
}

/** Why the scene is outside the grammar, or undefined when it is a valid scene. */
export function sceneProblem(scene: Scene): string | undefined {
  switch (scene.contentType) {
    case "data_chart":
      return barChartProblem(scene);
    case "geometry":
      return geometryProblem(scene);
    case "table":
      return tableProblem(scene);
    case "diagram":
      return diagramProblem(scene);
  }
}

/** Sorts links into canonical order (by from, then to). */
export function sortLinks(links: readonly Link[]): Link[] {
  return [...links].sort((first, second) => first[0] - second[0] || first[1] - second[1]);
}
