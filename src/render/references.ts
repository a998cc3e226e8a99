// Checks that an SVG's attributes and style sheets reference nothing outside the document.
// Measured (notes/stack-measurements.md §3): resvg reads local files named in <image href>, absolute
// or relative to the working directory, and has no switch to stop it; so only "#fragment" and small
// data:image/png|jpeg URLs pass. CSS may not escape characters (it could spell a URL in disguise).
import { type Forbidden, forbidden, type TooLarge, tooLarge } from "./outcome.ts";

export type ReferenceProblem = Forbidden | TooLarge;

const dataImagePrefix = /^data:image\/(?:png|jpeg|jpg);base64,/i;
const detailCharactersMax = 80;

function quote(value: string): string {
  const shown = value.length > detailCharactersMax ? `${value.slice(0, detailCharactersMax)}...` : value;
  return JSON.stringify(shown);
}

/** An href (any prefix: href, xlink:href, ...) must point into the document or be a small data image. */
export function checkHref(value: string, dataUrlBytesMax: number): ReferenceProblem | undefined {
  const target = value.trim();
  if (target.startsWith("#")) return undefined;
  if (dataImagePrefix.test(target)) {
    return target.length > dataUrlBytesMax
      ? tooLarge("dataUrlBytes", target.length, dataUrlBytesMax)
      : undefined;
  }
  return forbidden("externalReference", `the reference href=${quote(value)}`);
}

/** Every url(...) in a CSS value or attribute must be a #fragment. Linear: one scan per url(. */
export function checkCssUrls(text: string): Forbidden | undefined {
  // Fast path: most attribute values hold no function call at all.
  if (!text.includes("(")) return undefined;
  const lower = text.toLowerCase();
  let from = 0;
  for (;;) {
    const open = lower.indexOf("url(", from);
    if (open < 0) return undefined;
    const close = text.indexOf(")", open);
    if (close < 0) return forbidden("externalReference", `an unclosed url( in ${quote(text.slice(open))}`);
    const target = text
      .slice(open + 4, close)
      .trim()
      .replace(/^(['"])(.*)\1$/s, "$2")
      .trim();
    if (!target.startsWith("#"))
      return forbidden("externalReference", `the CSS reference ${quote(text.slice(open, close + 1))}`);
    from = close + 1;
  }
}

/** A style sheet or a style attribute: no @import, no escapes, only #fragment url()s. */
export function checkCss(text: string): Forbidden | undefined {
  if (/@import/i.test(text)) return forbidden("cssImport", "a CSS @import");
  if (text.includes("\\")) return forbidden("cssEscape", `a CSS escape (backslash) in ${quote(text)}`);
  return checkCssUrls(text);
}
