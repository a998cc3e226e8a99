/**
 * The words of the world: colours, shapes, content types, number range and the token spelling rule.
 *
 * Spelling rule: every word token carries one leading space (" red", " 5"), so any text built from
 * words is a plain concatenation of vocabulary entries and greedy longest-match recovers the words
 * exactly (no vocabulary entry spans a word boundary). The release's parser strips whitespace next to
 * tags and answers, so the leading space never reaches a comparison.
 */

/** Named SVG colours that stay distinct at 32x32 pixels. */
export const colours = ["red", "blue", "green", "yellow", "purple", "orange"] as const;
export type Colour = (typeof colours)[number];

export const shapes = ["circle", "square", "triangle"] as const;
export type Shape = (typeof shapes)[number];

/** The content types this world implements (the reference's timeline and map are left out). */
export const worldContentTypes = ["data_chart", "geometry", "table", "diagram"] as const;
export type WorldContentType = (typeof worldContentTypes)[number];

/** Why these bounds: a three-term difference of counts reaches -17 and a bar total plus a value 63. */
export const numberMin = -20;
export const numberMax = 60;

const colourSet: ReadonlySet<string> = new Set(colours);
const shapeSet: ReadonlySet<string> = new Set(shapes);
const contentTypeSet: ReadonlySet<string> = new Set(worldContentTypes);

export function isColour(word: string): word is Colour {
  return colourSet.has(word);
}

export function isShape(word: string): word is Shape {
  return shapeSet.has(word);
}

export function isWorldContentType(word: string): word is WorldContentType {
  return contentTypeSet.has(word);
}

/** The token of a word: the word with its leading space. */
export function wordToken(word: string): string {
  return ` ${word}`;
}

/** True for a whole number the vocabulary can spell. */
export function isSpellableNumber(value: number): boolean {
  return Number.isSafeInteger(value) && value >= numberMin && value <= numberMax;
}

/** The token of a whole number in [numberMin, numberMax]. */
export function numberToken(value: number): string {
  if (!isSpellableNumber(value)) {
    throw new RangeError(`${value} is outside the world's numbers [${numberMin}, ${numberMax}]`);
  }
  return ` ${value}`;
}

/** The whole number a word spells, or undefined ("05", "+5" and "-0" are not spellings). */
export function parseNumberWord(word: string): number | undefined {
  if (!/^(0|-?[1-9][0-9]*)$/.test(word)) return undefined;
  const value = Number(word);
  return isSpellableNumber(value) ? value : undefined;
}

/** Lower-cased words of a text, split on whitespace (the parsers' view of captions and questions). */
export function textWords(text: string): string[] {
  const trimmed = text.trim().toLowerCase();
  return trimmed.length === 0 ? [] : trimmed.split(/\s+/);
}
