/**
 * A uniform view of a scene as a list of items (bars, shapes, cells, nodes) with the attributes
 * questions can ask about. The question evaluator only sees this view, which keeps the grammar the
 * same across content types: an attribute a content type lacks is simply absent.
 */
import type { Colour, Shape } from "./lexicon.ts";
import { type DiagramScene, geometryGridColumns, type Scene } from "./scene.ts";

export interface SceneItem {
  readonly colour: Colour;
  /** geometry only. */
  readonly shape?: Shape;
  /** 1-based grid row and column: geometry and table. */
  readonly row?: number;
  readonly column?: number;
  /** 1-based reading order (left to right, then top to bottom): data_chart, geometry, table. */
  readonly position?: number;
  /** The item's number: a bar's value (data_chart) or a node's link count (diagram). */
  readonly measure?: number;
}

/** 0-based (row, column) of the geometry shape at this reading-order index. */
export function shapeItemCell(index: number): [row: number, column: number] {
  return [Math.floor(index / geometryGridColumns), index % geometryGridColumns];
}

/** How many links touch each node. */
export function nodeLinkCounts(scene: DiagramScene): number[] {
  const counts = scene.nodes.map(() => 0);
  for (const [from, to] of scene.links) {
    counts[from]! += 1;
    counts[to]! += 1;
  }
  return counts;
}

export function sceneItems(scene: Scene): SceneItem[] {
  switch (scene.contentType) {
    case "data_chart":
      return scene.bars.map((bar, index) => ({
        colour: bar.colour,
        position: index + 1,
        measure: bar.value,
      }));
    case "geometry":
      return scene.shapes.map((item, index) => {
        const [row, column] = shapeItemCell(index);
        return {
          colour: item.colour,
          shape: item.shape,
          row: row + 1,
          column: column + 1,
          position: index + 1,
        };
      });
    case "table": {
      const columns = scene.rows[0]?.length ?? 0;
      return scene.rows.flatMap((row, rowIndex) =>
        row.map((colour, columnIndex) => ({
          colour,
          row: rowIndex + 1,
          column: columnIndex + 1,
          position: rowIndex * columns + columnIndex + 1,
        })),
      );
    }
    case "diagram": {
      const counts = nodeLinkCounts(scene);
      return scene.nodes.map((colour, index) => ({ colour, measure: counts[index]! }));
    }
  }
}
