/**
 * Canonical captions. A caption names its content type, then lists the scene's parts in drawing order:
 *   data_chart  "bar chart red 5 blue 3 green 7"                  colour and value per bar, left to right
 *   geometry    "geometry red circle blue square"                 colour and shape per cell, reading order
 *   table       "table red blue ; green red"                      colours row by row, rows split by ";"
 *   diagram     "network diagram red blue green links red blue"   nodes by slot, then linked colour pairs
 * The lead words double as the release's keyword fallback ("bar chart", "geometry", "table", "network
 * diagram"), so a proposal without a content_type is still classified right.
 */
import { CaptionParseError, type Parsed, parsedFailure, parsedValue } from "./errors.ts";
import {
  type Colour,
  isColour,
  isShape,
  numberToken,
  parseNumberWord,
  textWords,
  wordToken,
} from "./lexicon.ts";
import { type Link, type Scene, sceneProblem, sortLinks } from "./scene.ts";

export const rowSeparatorWord = ";";
export const linksWord = "links";
const barChartLead = ["bar", "chart"] as const;
const geometryLead = ["geometry"] as const;
const tableLead = ["table"] as const;
const diagramLead = ["network", "diagram"] as const;

/** Every word captions use besides colours, shapes and numbers (for the vocabulary). */
export const captionKeywords = [
  ...barChartLead,
  ...geometryLead,
  ...tableLead,
  ...diagramLead,
  linksWord,
  rowSeparatorWord,
] as const;

/** The caption's words, without spaces. */
function captionWords(scene: Scene): string[] {
  switch (scene.contentType) {
    case "data_chart":
      return [...barChartLead, ...scene.bars.flatMap((bar) => [bar.colour, String(bar.value)])];
    case "geometry":
      return [...geometryLead, ...scene.shapes.flatMap((item) => [item.colour, item.shape])];
    case "table":
      return [
        ...tableLead,
        ...scene.rows.flatMap((row, index): string[] =>
          index === 0 ? [...row] : [rowSeparatorWord, ...row],
        ),
      ];
    case "diagram":
      return [
        ...diagramLead,
        ...scene.nodes,
        linksWord,
        ...scene.links.flatMap(([from, to]) => [scene.nodes[from]!, scene.nodes[to]!]),
      ];
  }
}

/** The caption as vocabulary tokens. */
export function captionTokens(scene: Scene): string[] {
  return captionWords(scene).map((word) => {
    const value = parseNumberWord(word);
    return value === undefined ? wordToken(word) : numberToken(value);
  });
}

/** The canonical caption text (tokens joined; starts with a space like every word sequence). */
export function captionText(scene: Scene): string {
  return captionTokens(scene).join("");
}

/** The scene's signature: its canonical caption without the leading space. */
export function sceneSignature(scene: Scene): string {
  return captionWords(scene).join(" ");
}

type CaptionResult = Parsed<Scene, CaptionParseError>;

function startsWith(words: readonly string[], lead: readonly string[]): boolean {
  return lead.every((word, index) => words[index] === word);
}

function parseBars(caption: string, words: readonly string[]): CaptionResult {
  const bars: { colour: Colour; value: number }[] = [];
  for (let index = barChartLead.length; index < words.length; index += 2) {
    const colour = words[index]!;
    const value = parseNumberWord(words[index + 1] ?? "");
    if (!isColour(colour))
      return parsedFailure(new CaptionParseError(caption, index, `"${colour}" is not a colour`));
    if (value === undefined)
      return parsedFailure(new CaptionParseError(caption, index + 1, "expected a bar value"));
    bars.push({ colour, value });
  }
  return checked(caption, words, { contentType: "data_chart", bars });
}

function parseShapes(caption: string, words: readonly string[]): CaptionResult {
  const items: { colour: Colour; shape: "circle" | "square" | "triangle" }[] = [];
  for (let index = geometryLead.length; index < words.length; index += 2) {
    const colour = words[index]!;
    const shape = words[index + 1] ?? "";
    if (!isColour(colour))
      return parsedFailure(new CaptionParseError(caption, index, `"${colour}" is not a colour`));
    if (!isShape(shape)) return parsedFailure(new CaptionParseError(caption, index + 1, "expected a shape"));
    items.push({ colour, shape });
  }
  return checked(caption, words, { contentType: "geometry", shapes: items });
}

function parseTable(caption: string, words: readonly string[]): CaptionResult {
  const rows: Colour[][] = [[]];
  for (let index = tableLead.length; index < words.length; index++) {
    const word = words[index]!;
    if (word === rowSeparatorWord) rows.push([]);
    else if (isColour(word)) rows[rows.length - 1]!.push(word);
    else return parsedFailure(new CaptionParseError(caption, index, `"${word}" is neither a colour nor ";"`));
  }
  return checked(caption, words, { contentType: "table", rows });
}

function nodeIndex(nodes: readonly Colour[], word: string | undefined): number {
  return word !== undefined && isColour(word) ? nodes.indexOf(word) : -1;
}

function parseDiagram(caption: string, words: readonly string[]): CaptionResult {
  const linksAt = words.indexOf(linksWord);
  if (linksAt < 0)
    return parsedFailure(new CaptionParseError(caption, words.length, `expected "${linksWord}"`));
  const nodes: Colour[] = [];
  for (let index = diagramLead.length; index < linksAt; index++) {
    const word = words[index]!;
    if (!isColour(word))
      return parsedFailure(new CaptionParseError(caption, index, `"${word}" is not a colour`));
    nodes.push(word);
  }
  const links: Link[] = [];
  for (let index = linksAt + 1; index < words.length; index += 2) {
    const first = nodeIndex(nodes, words[index]);
    const second = nodeIndex(nodes, words[index + 1]);
    if (first < 0 || second < 0) {
      return parsedFailure(
        new CaptionParseError(caption, index, "a link must join two node colours of this diagram"),
      );
    }
    links.push(first < second ? [first, second] : [second, first]);
  }
  return checked(caption, words, { contentType: "diagram", nodes, links: sortLinks(links) });
}

/** Rejects scenes outside the limits (too many bars, a ragged table, a repeated link). */
function checked(caption: string, words: readonly string[], scene: Scene): CaptionResult {
  const problem = sceneProblem(scene);
  return problem === undefined
    ? parsedValue(scene)
    : parsedFailure(new CaptionParseError(caption, words.length, problem));
}

/**
 * Parses a caption back to its scene. Case and whitespace are free; diagram links may be listed in any
 * order and direction (the scene keeps them sorted). Anything else outside the grammar is a failure.
 */
export function parseCaption(caption: string): CaptionResult {
  const words = textWords(caption);
  if (startsWith(words, barChartLead)) return parseBars(caption, words);
  if (startsWith(words, geometryLead)) return parseShapes(caption, words);
  if (startsWith(words, tableLead)) return parseTable(caption, words);
  if (startsWith(words, diagramLead)) return parseDiagram(caption, words);
  return parsedFailure(
    new CaptionParseError(
      caption,
      0,
      'a caption starts with "bar chart", "geometry", "table" or "network diagram"',
    ),
  );
}
