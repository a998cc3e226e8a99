/**
 * Scene -> SVG, as vocabulary tokens. Diagrams draw links before nodes so the nodes cover link ends.
 */
import { shapeItemCell } from "./items.ts";
import {
  barBodyToken,
  barXToken,
  circleToken,
  elementEndToken,
  fillToken,
  lineToken,
  linkStrokeToken,
  linkToken,
  nodeToken,
  polygonToken,
  rectToken,
  shapeCircleToken,
  shapeSquareToken,
  shapeTriangleToken,
  svgFooterToken,
  svgHeaderToken,
  tableCellToken,
} from "./layout.ts";
import type { Scene, ShapeItem } from "./scene.ts";

/** The Coder's fence around an SVG answer. */
export const svgFenceOpenToken = "```svg\n";
export const svgFenceCloseToken = "\n```";

function shapeTokens(item: ShapeItem, index: number): string[] {
  const [row, column] = shapeItemCell(index);
  switch (item.shape) {
    case "circle":
      return [circleToken, shapeCircleToken(row, column), fillToken(item.colour), elementEndToken];
    case "square":
      return [rectToken, shapeSquareToken(row, column), fillToken(item.colour), elementEndToken];
    case "triangle":
      return [polygonToken, shapeTriangleToken(row, column), fillToken(item.colour), elementEndToken];
  }
}

function bodyTokens(scene: Scene): string[] {
  switch (scene.contentType) {
    case "data_chart":
      return scene.bars.flatMap((bar, slot) => [
        rectToken,
        barXToken(slot),
        barBodyToken(bar.value),
        fillToken(bar.colour),
        elementEndToken,
      ]);
    case "geometry":
      return scene.shapes.flatMap(shapeTokens);
    case "table":
      return scene.rows.flatMap((row, rowIndex) =>
        row.flatMap((colour, column) => [
          rectToken,
          tableCellToken(rowIndex, column),
          fillToken(colour),
          elementEndToken,
        ]),
      );
    case "diagram":
      return [
        ...scene.links.flatMap(([from, to]) => [
          lineToken,
          linkToken(from, to),
          linkStrokeToken,
          elementEndToken,
        ]),
        ...scene.nodes.flatMap((colour, slot) => [
          circleToken,
          nodeToken(slot),
          fillToken(colour),
          elementEndToken,
        ]),
      ];
  }
}

/** The scene's SVG as vocabulary tokens (header, elements, footer). */
export function sceneSvgTokens(scene: Scene): string[] {
  return [svgHeaderToken, ...bodyTokens(scene), svgFooterToken];
}

/** The scene's SVG source. */
export function sceneSvg(scene: Scene): string {
  return sceneSvgTokens(scene).join("");
}

/** The Coder's whole answer for a scene: the SVG in a ```svg fence, as tokens. */
export function coderAnswerTokens(scene: Scene): string[] {
  return [svgFenceOpenToken, ...sceneSvgTokens(scene), svgFenceCloseToken];
}
