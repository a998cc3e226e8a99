/**
 * SVG -> scene, for the oracle's "does this SVG depict the caption?". The reader accepts exactly the
 * canonical layout of docs/world.md (positions, sizes, colours), while attribute order, element order,
 * whitespace and number spelling ("4" or "4.0") are free. Anything else is a typed failure: an extra
 * attribute or element may change the picture, and the oracle must not call such an SVG faithful.
 */
import { SaxesParser } from "saxes";
import { type Parsed, parsedFailure, parsedValue, SvgSceneError } from "./errors.ts";
import {
  barBaselinePixels,
  barSlotPitchPixels,
  barUnitPixels,
  barWidthPixels,
  canvasSizePixels,
  geometryCellPixels,
  geometryRowsMax,
  nodeRadiusPixels,
  nodeSlots,
  shapeBoxPixels,
  tableCellPitchPixels,
  tableCellPixels,
  trianglePoints,
} from "./layout.ts";
import { type Colour, isColour, type Shape, type WorldContentType, worldContentTypes } from "./lexicon.ts";
import {
  barCountMax,
  barValueMax,
  geometryGridColumns,
  type Link,
  type Scene,
  sceneProblem,
  sortLinks,
  tableColumnsMax,
  tableRowsMax,
} from "./scene.ts";

/** Why a cap: the reader runs on Coder output; world SVGs are under 2 KB. */
export const svgCharactersMax = 64 * 1024;

interface SvgElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
}

type SceneResult = Parsed<Scene, SvgSceneError>;

function failure(reason: string): { readonly ok: false; readonly error: SvgSceneError } {
  return parsedFailure(new SvgSceneError(reason));
}

function viewBoxProblem(attributes: Readonly<Record<string, string>>): string | undefined {
  const numbers = (attributes.viewBox ?? "")
    .trim()
    .split(/[\s,]+/)
    .map(Number);
  const expected = [0, 0, canvasSizePixels, canvasSizePixels];
  return numbers.length === 4 && numbers.every((value, index) => value === expected[index])
    ? undefined
    : `the root needs viewBox="0 0 ${canvasSizePixels} ${canvasSizePixels}"`;
}

/** The root's child elements, or why the text is not a flat world SVG. */
function readElements(svg: string): Parsed<SvgElement[], SvgSceneError> {
  if (svg.length > svgCharactersMax) return failure(`${svg.length} characters, at most ${svgCharactersMax}`);
  const elements: SvgElement[] = [];
  const problems: string[] = [];
  let depth = 0;
  const parser = new SaxesParser();
  parser.on("opentag", (tag) => {
    if (depth === 0) {
      if (tag.name !== "svg") problems.push(`the root element is <${tag.name}>, not <svg>`);
      const problem = viewBoxProblem(tag.attributes);
      if (problem !== undefined) problems.push(problem);
    } else if (depth === 1) elements.push({ name: tag.name, attributes: tag.attributes });
    else problems.push(`<${tag.name}> is nested; world SVGs are flat`);
    depth += 1;
  });
  parser.on("closetag", () => {
    depth -= 1;
  });
  parser.on("text", (text) => {
    if (text.trim().length > 0) problems.push("the SVG contains text");
  });
  parser.on("error", (error) => {
    problems.push(`not well-formed XML (${error.message})`);
  });
  try {
    parser.write(svg).close();
  } catch (error) {
    problems.push(`not well-formed XML (${error instanceof Error ? error.message : String(error)})`);
  }
  if (problems.length > 0) return failure(problems[0]!);
  return parsedValue(elements);
}

/** True when the element has exactly these attribute names (an extra one may change the picture). */
function hasExactAttributes(element: SvgElement, names: readonly string[]): boolean {
  const present = Object.keys(element.attributes);
  return present.length === names.length && names.every((name) => name in element.attributes);
}

/** The attribute as a number; NaN when absent or not a number, which fails every layout check. */
function numberAttribute(element: SvgElement, name: string): number {
  const text = element.attributes[name]?.trim() ?? "";
  return text.length === 0 ? Number.NaN : Number(text);
}

function colourAttribute(element: SvgElement, name: string): Colour | undefined {
  const text = element.attributes[name]?.trim().toLowerCase() ?? "";
  return isColour(text) ? text : undefined;
}

/** The 0-based index `(value - offset) / pitch` when it is a whole number below `count`. */
function gridIndex(value: number, offset: number, pitch: number, count: number): number | undefined {
  const index = (value - offset) / pitch;
  return Number.isInteger(index) && index >= 0 && index < count ? index : undefined;
}

/** Items keyed by slot must fill slots 0..n-1 with no gap or repeat. */
function contiguous<Item>(bySlot: ReadonlyMap<number, Item>, what: string): Item[] | string {
  const items: Item[] = [];
  for (let slot = 0; slot < bySlot.size; slot++) {
    const item = bySlot.get(slot);
    if (item === undefined) return `${what} ${slot + 1} is missing`;
    items.push(item);
  }
  return items;
}

function readBar(element: SvgElement): { slot: number; colour: Colour; value: number } | undefined {
  if (element.name !== "rect" || !hasExactAttributes(element, ["x", "y", "width", "height", "fill"]))
    return undefined;
  const height = numberAttribute(element, "height");
  const slot = gridIndex(numberAttribute(element, "x"), 1, barSlotPitchPixels, barCountMax);
  const value = gridIndex(height, barUnitPixels, barUnitPixels, barValueMax);
  const colour = colourAttribute(element, "fill");
  if (slot === undefined || value === undefined || colour === undefined) return undefined;
  const onBaseline = numberAttribute(element, "y") + height === barBaselinePixels;
  return onBaseline && numberAttribute(element, "width") === barWidthPixels
    ? { slot, colour, value: value + 1 }
    : undefined;
}

function readBarChart(elements: readonly SvgElement[]): SceneResult {
  const bySlot = new Map<number, { colour: Colour; value: number }>();
  for (const element of elements) {
    const bar = readBar(element);
    if (bar === undefined) return failure(`<${element.name}> is not a bar of the chart layout`);
    if (bySlot.has(bar.slot)) return failure(`two bars in slot ${bar.slot + 1}`);
    bySlot.set(bar.slot, { colour: bar.colour, value: bar.value });
  }
  const bars = contiguous(bySlot, "bar");
  return typeof bars === "string" ? failure(bars) : checked({ contentType: "data_chart", bars });
}

function cellOfBox(x: number, y: number): number | undefined {
  const column = gridIndex(x, 2, geometryCellPixels, geometryGridColumns);
  const row = gridIndex(y, 2, geometryCellPixels, geometryRowsMax);
  return row === undefined || column === undefined ? undefined : row * geometryGridColumns + column;
}

function samePointSets(
  first: readonly (readonly number[])[],
  second: readonly (readonly number[])[],
): boolean {
  const key = (points: readonly (readonly number[])[]) =>
    points
      .map((point) => point.join(","))
      .sort()
      .join(" ");
  return key(first) === key(second);
}

function readTriangleCell(pointsText: string): number | undefined {
  const numbers = pointsText
    .split(/[\s,]+/)
    .filter((part) => part.length > 0)
    .map(Number);
  if (numbers.length !== 6 || numbers.some((value) => !Number.isFinite(value))) return undefined;
  const points = [0, 2, 4].map((index) => [numbers[index]!, numbers[index + 1]!]);
  const cell = cellOfBox(
    Math.min(...points.map((point) => point[0]!)),
    Math.min(...points.map((point) => point[1]!)),
  );
  if (cell === undefined) return undefined;
  const expected = trianglePoints(Math.floor(cell / geometryGridColumns), cell % geometryGridColumns);
  return samePointSets(points, expected) ? cell : undefined;
}

function readShapeCell(element: SvgElement): { cell: number | undefined; shape: Shape } | undefined {
  const half = shapeBoxPixels / 2;
  if (element.name === "circle" && hasExactAttributes(element, ["cx", "cy", "r", "fill"])) {
    if (numberAttribute(element, "r") !== half) return undefined;
    const cell = cellOfBox(numberAttribute(element, "cx") - half, numberAttribute(element, "cy") - half);
    return { cell, shape: "circle" };
  }
  if (element.name === "rect" && hasExactAttributes(element, ["x", "y", "width", "height", "fill"])) {
    const sized =
      numberAttribute(element, "width") === shapeBoxPixels &&
      numberAttribute(element, "height") === shapeBoxPixels;
    if (!sized) return undefined;
    return { cell: cellOfBox(numberAttribute(element, "x"), numberAttribute(element, "y")), shape: "square" };
  }
  if (element.name === "polygon" && hasExactAttributes(element, ["points", "fill"])) {
    return { cell: readTriangleCell(element.attributes.points ?? ""), shape: "triangle" };
  }
  return undefined;
}

function readShape(element: SvgElement): { cell: number; colour: Colour; shape: Shape } | undefined {
  const placed = readShapeCell(element);
  const colour = colourAttribute(element, "fill");
  if (placed?.cell === undefined || colour === undefined) return undefined;
  return { cell: placed.cell, colour, shape: placed.shape };
}

function readGeometry(elements: readonly SvgElement[]): SceneResult {
  const byCell = new Map<number, { colour: Colour; shape: Shape }>();
  for (const element of elements) {
    const item = readShape(element);
    if (item === undefined) return failure(`<${element.name}> is not a shape of the geometry layout`);
    if (byCell.has(item.cell)) return failure(`two shapes in cell ${item.cell + 1}`);
    byCell.set(item.cell, { colour: item.colour, shape: item.shape });
  }
  const shapes = contiguous(byCell, "shape");
  return typeof shapes === "string" ? failure(shapes) : checked({ contentType: "geometry", shapes });
}

function readTableCell(element: SvgElement): { row: number; column: number; colour: Colour } | undefined {
  if (element.name !== "rect" || !hasExactAttributes(element, ["x", "y", "width", "height", "fill"]))
    return undefined;
  const sized =
    numberAttribute(element, "width") === tableCellPixels &&
    numberAttribute(element, "height") === tableCellPixels;
  const column = gridIndex(numberAttribute(element, "x"), 1, tableCellPitchPixels, tableColumnsMax);
  const row = gridIndex(numberAttribute(element, "y"), 1, tableCellPitchPixels, tableRowsMax);
  const colour = colourAttribute(element, "fill");
  return sized && row !== undefined && column !== undefined && colour !== undefined
    ? { row, column, colour }
    : undefined;
}

function readTable(elements: readonly SvgElement[]): SceneResult {
  const cells = new Map<string, Colour>();
  let rowCount = 0;
  let columnCount = 0;
  for (const element of elements) {
    const cell = readTableCell(element);
    if (cell === undefined) return failure(`<${element.name}> is not a cell of the table layout`);
    const key = `${cell.row},${cell.column}`;
    if (cells.has(key)) return failure(`two cells at row ${cell.row + 1} column ${cell.column + 1}`);
    cells.set(key, cell.colour);
    rowCount = Math.max(rowCount, cell.row + 1);
    columnCount = Math.max(columnCount, cell.column + 1);
  }
  if (cells.size !== rowCount * columnCount) return failure("the cells do not form a full rectangle");
  const rows = Array.from({ length: rowCount }, (_, row) =>
    Array.from({ length: columnCount }, (_, column) => cells.get(`${row},${column}`)!),
  );
  return checked({ contentType: "table", rows });
}

function slotAt(x: number, y: number): number | undefined {
  const slot = nodeSlots.findIndex(([slotX, slotY]) => slotX === x && slotY === y);
  return slot < 0 ? undefined : slot;
}

function readNode(element: SvgElement): { slot: number; colour: Colour } | undefined {
  if (element.name !== "circle" || !hasExactAttributes(element, ["cx", "cy", "r", "fill"])) return undefined;
  const slot = slotAt(numberAttribute(element, "cx"), numberAttribute(element, "cy"));
  const colour = colourAttribute(element, "fill");
  const sized = numberAttribute(element, "r") === nodeRadiusPixels;
  return sized && slot !== undefined && colour !== undefined ? { slot, colour } : undefined;
}

function readLink(element: SvgElement): Link | undefined {
  if (
    element.name !== "line" ||
    !hasExactAttributes(element, ["x1", "y1", "x2", "y2", "stroke", "stroke-width"])
  ) {
    return undefined;
  }
  const stroked =
    element.attributes.stroke?.trim().toLowerCase() === "black" &&
    numberAttribute(element, "stroke-width") === 2;
  const first = slotAt(numberAttribute(element, "x1"), numberAttribute(element, "y1"));
  const second = slotAt(numberAttribute(element, "x2"), numberAttribute(element, "y2"));
  if (!stroked || first === undefined || second === undefined || first === second) return undefined;
  return first < second ? [first, second] : [second, first];
}

function readDiagram(elements: readonly SvgElement[]): SceneResult {
  const bySlot = new Map<number, Colour>();
  const links: Link[] = [];
  for (const element of elements) {
    const node = readNode(element);
    const link = node === undefined ? readLink(element) : undefined;
    if (node !== undefined) {
      if (bySlot.has(node.slot)) return failure(`two nodes in slot ${node.slot + 1}`);
      bySlot.set(node.slot, node.colour);
    } else if (link !== undefined) links.push(link);
    else return failure(`<${element.name}> is neither a node nor a link of the diagram layout`);
  }
  const nodes = contiguous(bySlot, "node");
  if (typeof nodes === "string") return failure(nodes);
  if (links.some(([, to]) => to >= nodes.length)) return failure("a link ends at an empty node slot");
  return checked({ contentType: "diagram", nodes, links: sortLinks(links) });
}

function checked(scene: Scene): SceneResult {
  const problem = sceneProblem(scene);
  return problem === undefined ? parsedValue(scene) : failure(problem);
}

const readers: Readonly<Record<WorldContentType, (elements: readonly SvgElement[]) => SceneResult>> = {
  data_chart: readBarChart,
  geometry: readGeometry,
  table: readTable,
  diagram: readDiagram,
};

/**
 * Reads the scene an SVG draws. With a content type, only that layout is tried; without one, every
 * layout is tried (they are disjoint: bar, square and cell rectangles differ in size).
 */
export function readSvgScene(svg: string, contentType?: WorldContentType): SceneResult {
  const elements = readElements(svg);
  if (!elements.ok) return elements;
  if (contentType !== undefined) return readers[contentType](elements.value);
  const reasons: string[] = [];
  for (const candidate of worldContentTypes) {
    const result = readers[candidate](elements.value);
    if (result.ok) return result;
    reasons.push(`${candidate}: ${result.error.reason}`);
  }
  return failure(reasons.join("; "));
}
