// Finds the SVG in a Coder output by the reference's rules, in order: the first ```svg fenced
// block; else the first ```xml fenced block containing "<svg"; else the first raw "<svg" up to
// the next "</svg>" (tags in any ASCII case). Written with indexOf scans, not regular expressions, so a hostile output
// (thousands of unclosed fences) costs linear time.
// "SVG-like" is the release's Coder-reward rule; it lives with the reward (src/rewards).
import { indexOfIgnoringAsciiCase, isSvgLike } from "../rewards/index.ts";
import type { SvgSource } from "./outcome.ts";

export { isSvgLike };

export type SvgExtraction =
  | {
      readonly kind: "code";
      readonly code: string;
      readonly source: Exclude<SvgSource, "document">;
      readonly svgLike: boolean;
    }
  /** Nothing matched; `svgLike` is judged on the whole stripped output, as the release does. */
  | { readonly kind: "noCode"; readonly svgLike: boolean };

const fence = "```";
const rawOpen = "<svg";
const rawClose = "</svg>";

/** The fenced blocks tagged `language` (ASCII, any case), in order, up to the first unclosed one. */
function* fencedBlocks(text: string, language: string): Generator<string> {
  let from = 0;
  while (from < text.length) {
    const open = text.indexOf(fence, from);
    if (open < 0) return;
    const tagEnd = open + fence.length + language.length;
    // Why: "```svgfoo" is another language; the tag must end at a non-word character.
    if (
      text.slice(open + fence.length, tagEnd).toLowerCase() !== language ||
      /[\w-]/.test(text.charAt(tagEnd))
    ) {
      from = open + fence.length;
      continue;
    }
    const close = text.indexOf(fence, tagEnd);
    if (close < 0) return;
    yield text.slice(tagEnd, close).trim();
    from = close + fence.length;
  }
}

function code(text: string, source: Exclude<SvgSource, "document">): SvgExtraction {
  return { kind: "code", code: text, source, svgLike: isSvgLike(text) };
}

export function extractSvg(text: string): SvgExtraction {
  for (const block of fencedBlocks(text, "svg")) return code(block, "svgFence");
  // Both checks ignore ASCII case, as the release's `.lower()` and `re.IGNORECASE` do.
  for (const block of fencedBlocks(text, "xml")) {
    if (indexOfIgnoringAsciiCase(block, rawOpen) >= 0) return code(block, "xmlFence");
  }
  const open = indexOfIgnoringAsciiCase(text, rawOpen);
  const close = open < 0 ? -1 : indexOfIgnoringAsciiCase(text, rawClose, open);
  if (close >= 0) return code(text.slice(open, close + rawClose.length), "rawSvg");
  return { kind: "noCode", svgLike: isSvgLike(text) };
}
