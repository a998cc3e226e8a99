/**
 * Text helpers that reproduce the Python semantics the release relies on. Python's `\s`, `str.split()`
 * and `str.strip()` treat a slightly different set of characters as whitespace than JavaScript's `\s`
 * (Python adds the separators U+001C..U+001F and U+0085; JavaScript adds U+FEFF), and BLEU tokens
 * depend on it, so the set is spelled out once here.
 */

/** The characters Python 3's `str.isspace()` (and `\s` in a `str` pattern) accepts. */
const pythonWhitespaceCharacters =
  "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";

/** A regular-expression character class of Python whitespace, for patterns ported from the release. */
export const pythonWhitespaceClass = `[${pythonWhitespaceCharacters}]`;

const tagWhitespacePattern = new RegExp(`${pythonWhitespaceClass}*([<>/])${pythonWhitespaceClass}*`, "g");
const whitespaceRunPattern = new RegExp(`${pythonWhitespaceClass}+`, "g");
const leadingWhitespacePattern = new RegExp(`^${pythonWhitespaceClass}+`);
const trailingWhitespacePattern = new RegExp(`${pythonWhitespaceClass}+$`);

/**
 * The release's first step on every Proposer and Solver text: `re.sub(r"\s*(<|>|/)\s*", r"\1", text)`.
 * It also rewrites content (`a / b` becomes `a/b`), which changes BLEU tokens; that is intended.
 */
export function collapseTagWhitespace(text: string): string {
  return text.replace(tagWhitespacePattern, "$1");
}

/** Python's `text.strip()`. */
export function stripWhitespace(text: string): string {
  return text.replace(leadingWhitespacePattern, "").replace(trailingWhitespacePattern, "");
}

/** Python's `text.split()`: runs of whitespace separate tokens, no empty tokens. */
export function whitespaceTokens(text: string): string[] {
  const stripped = stripWhitespace(text);
  return stripped.length === 0 ? [] : stripped.split(whitespaceRunPattern);
}

/** `' '.join(text.split())`: trims and collapses every whitespace run to one space. */
export function collapseWhitespace(text: string): string {
  return whitespaceTokens(text).join(" ");
}

/** `text` with only A-Z lower-cased: the same length, so indexes found in it are indexes in `text`. */
export function asciiLowerCase(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/**
 * The first index of `needle` (lower-case ASCII) in `text` at or after `from`, ignoring ASCII case:
 * the release's `"<svg" in code.lower()` and `re.IGNORECASE` on an ASCII pattern. Only ASCII letters
 * fold, so an index found here is an index in `text` (a full Unicode lower-casing can change lengths).
 */
export function indexOfIgnoringAsciiCase(text: string, needle: string, from = 0): number {
  return asciiLowerCase(text).indexOf(needle, from);
}
