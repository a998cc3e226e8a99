/**
 * The seeded scene sampler. Every draw comes from the caller's keyed stream, so a scene is a pure
 * function of its key. Geometry and table scenes use a small per-scene palette (2-4 and 2-3 colours) so
 * that colours repeat and counting questions have answers other than 0 and 1.
 */
import type { KeyedRandom } from "../rng/index.ts";
import { type Colour, colours, shapes, type WorldContentType } from "./lexicon.ts";
import {
  barCountMax,
  barCountMin,
  barValueMax,
  type Link,
  nodeCountMax,
  nodeCountMin,
  type Scene,
  shapeCountMax,
  shapeCountMin,
  sortLinks,
  tableCellsMax,
  tableColumnsMax,
  tableColumnsMin,
  tableRowsMax,
  tableRowsMin,
} from "./scene.ts";

const geometryPaletteSizes = [2, 3, 4] as const;
const tablePaletteSizes = [2, 3] as const;
/** Why 2: a single link makes every diagram question trivial. */
const sampledLinkCountMin = 2;
const sampledLinkCountMax = 5;

/** A whole number in [minimum, maximum]. */
export function drawBetween(random: KeyedRandom, minimum: number, maximum: number): number {
  return minimum + random.nextInt(maximum - minimum + 1);
}

export function drawOne<Item>(random: KeyedRandom, items: readonly Item[]): Item {
  return items[random.nextInt(items.length)]!;
}

/** `count` distinct items in random order (partial Fisher-Yates). */
export function drawDistinct<Item>(random: KeyedRandom, items: readonly Item[], count: number): Item[] {
  const pool = [...items];
  for (let index = 0; index < count; index++) {
    const pick = index + random.nextInt(pool.length - index);
    [pool[index], pool[pick]] = [pool[pick]!, pool[index]!];
  }
  return pool.slice(0, count);
}

function sampleBarChart(random: KeyedRandom): Scene {
  const palette = drawDistinct(random, colours, drawBetween(random, barCountMin, barCountMax));
  return {
    contentType: "data_chart",
    bars: palette.map((colour) => ({ colour, value: drawBetween(random, 1, barValueMax) })),
  };
}

function sampleGeometry(random: KeyedRandom): Scene {
  const palette = drawDistinct(random, colours, drawOne(random, geometryPaletteSizes));
  const count = drawBetween(random, shapeCountMin, shapeCountMax);
  const items = Array.from({ length: count }, () => ({
    colour: drawOne(random, palette),
    shape: drawOne(random, shapes),
  }));
  return { contentType: "geometry", shapes: items };
}

const tableSizes: readonly (readonly [rows: number, columns: number])[] = Array.from(
  { length: tableRowsMax - tableRowsMin + 1 },
  (_, row) => row + tableRowsMin,
).flatMap((rows) =>
  Array.from(
    { length: tableColumnsMax - tableColumnsMin + 1 },
    (_, column) => [rows, column + tableColumnsMin] as const,
  ).filter(([, columns]) => rows * columns <= tableCellsMax),
);

function sampleTable(random: KeyedRandom): Scene {
  const [rowCount, columnCount] = drawOne(random, tableSizes);
  const palette = drawDistinct(random, colours, drawOne(random, tablePaletteSizes));
  const rows: Colour[][] = Array.from({ length: rowCount }, () =>
    Array.from({ length: columnCount }, () => drawOne(random, palette)),
  );
  return { contentType: "table", rows };
}

function sampleDiagram(random: KeyedRandom): Scene {
  const nodes = drawDistinct(random, colours, drawBetween(random, nodeCountMin, nodeCountMax));
  const pairs: Link[] = nodes.flatMap((_, from) =>
    nodes.flatMap((__, to) => (to > from ? [[from, to] as const] : [])),
  );
  const linkCount = drawBetween(random, sampledLinkCountMin, Math.min(sampledLinkCountMax, pairs.length));
  return { contentType: "diagram", nodes, links: sortLinks(drawDistinct(random, pairs, linkCount)) };
}

/** A random scene of the content type, drawn from `random` (which it advances). */
export function sampleScene(random: KeyedRandom, contentType: WorldContentType): Scene {
  switch (contentType) {
    case "data_chart":
      return sampleBarChart(random);
    case "geometry":
      return sampleGeometry(random);
    case "table":
      return sampleTable(random);
    case "diagram":
      return sampleDiagram(random);
  }
}
