// Validates an untrusted SVG before any renderer sees it: well-formed XML with no DOCTYPE (so no
// entity can be declared, let alone expanded: billion laughs, XXE), no processing instructions,
// no script-capable or embedding elements, no event handlers, no external references, bounded
// element count and depth, and a sane size. Streams through saxes and stops at the first problem.
import { type SaxesAttributeNS, SaxesParser, type SaxesTagNS } from "saxes";
import { checkRootGeometry } from "./geometry.ts";
import { defaultSvgLimits, type SvgLimits } from "./limits.ts";
import {
  type BadGeometry,
  type Forbidden,
  forbidden,
  type TooLarge,
  tooLarge,
  type XmlError,
  xmlError,
} from "./outcome.ts";
import { checkCss, checkCssUrls, checkHref } from "./references.ts";
import type { FitSide } from "./worker-protocol.ts";

export const svgNamespace = "http://www.w3.org/2000/svg";

/** Elements that run code or embed other documents; compared by lower-cased local name. */
const forbiddenElements: ReadonlySet<string> = new Set([
  "script",
  "foreignobject",
  "iframe",
  "embed",
  "object",
  "handler",
  "listener",
]);

export type ValidationProblem = XmlError | Forbidden | TooLarge | BadGeometry;
export type SvgValidation =
  | { readonly kind: "valid"; readonly fitSide: FitSide }
  | { readonly kind: "invalid"; readonly outcome: ValidationProblem };

/** Thrown from inside saxes callbacks to stop parsing at the first problem. */
class ValidationStop {
  constructor(readonly outcome: ValidationProblem) {}
}

function stopIf(problem: ValidationProblem | undefined): void {
  if (problem !== undefined) throw new ValidationStop(problem);
}

function checkAttribute(attribute: SaxesAttributeNS, limits: SvgLimits): ValidationProblem | undefined {
  const name = attribute.local.toLowerCase();
  if (name.startsWith("on"))
    return forbidden("eventHandler", `the event handler attribute ${attribute.name}`);
  if (name === "href") return checkHref(attribute.value, limits.dataUrlBytesMax);
  if (name === "style") return checkCss(attribute.value);
  return checkCssUrls(attribute.value);
}

/** The root must be <svg> in the SVG namespace (resvg's rule) with a sane size; returns its fit side. */
function checkRoot(tag: SaxesTagNS, limits: SvgLimits): FitSide {
  if (tag.local !== "svg" || tag.uri !== svgNamespace) {
    const found = `<${tag.name}> in namespace ${JSON.stringify(tag.uri)}`;
    stopIf(xmlError("parser", `the root element is ${found}; resvg needs <svg xmlns="${svgNamespace}">`));
  }
  // Only un-prefixed attributes size the root; saxes keys attributes by their qualified name.
  const plain = (name: string) => tag.attributes[name]?.value;
  const geometry = checkRootGeometry(
    { width: plain("width"), height: plain("height"), viewBox: plain("viewBox") },
    limits,
  );
  if (geometry.kind === "bad") throw new ValidationStop(geometry.outcome);
  return geometry.fitSide;
}

/** Walks the document; throws ValidationStop at the first problem and returns the root's fit side. */
function walk(svg: string, limits: SvgLimits, trackPosition: boolean): FitSide {
  const parser = new SaxesParser({ xmlns: true, position: trackPosition });
  let elementCount = 0;
  let depth = 0;
  let fitSide: FitSide = "width";
  let styleDepth = 0;
  let styleText = "";
  parser.on("error", (error) => stopIf(xmlError("parser", error.message)));
  parser.on("doctype", () => stopIf(forbidden("doctype", "a DOCTYPE (entity declarations)")));
  parser.on("processinginstruction", (instruction) =>
    stopIf(forbidden("processingInstruction", `the processing instruction <?${instruction.target}?>`)),
  );
  parser.on("opentag", (tag) => {
    elementCount += 1;
    depth += 1;
    if (elementCount > limits.elementCountMax)
      stopIf(tooLarge("elementCount", elementCount, limits.elementCountMax));
    if (depth > limits.nestingDepthMax) stopIf(tooLarge("nestingDepth", depth, limits.nestingDepthMax));
    const local = tag.local.toLowerCase();
    if (forbiddenElements.has(local)) stopIf(forbidden("forbiddenElement", `the element <${tag.name}>`));
    if (depth === 1) fitSide = checkRoot(tag, limits);
    for (const attribute of Object.values(tag.attributes)) stopIf(checkAttribute(attribute, limits));
    if (local === "style" && styleDepth === 0) styleDepth = depth;
  });
  parser.on("closetag", () => {
    if (depth === styleDepth) {
      stopIf(checkCss(styleText));
      styleDepth = 0;
      styleText = "";
    }
    depth -= 1;
  });
  const collectStyle = (text: string) => {
    if (styleDepth > 0) styleText += text;
  };
  parser.on("text", collectStyle);
  parser.on("cdata", collectStyle);
  parser.write(svg).close();
  return fitSide;
}

function validate(svg: string, limits: SvgLimits, trackPosition: boolean): SvgValidation {
  try {
    return { kind: "valid", fitSide: walk(svg, limits, trackPosition) };
  } catch (error) {
    if (error instanceof ValidationStop) return { kind: "invalid", outcome: error.outcome };
    throw error;
  }
}

/**
 * Checks `svg` (a whole document) against `limits` without rendering it. Pure and linear in the
 * input; it allocates no pixels. "valid" carries which side the renderer should fit.
 */
export function validateSvg(svg: string, limits: SvgLimits = defaultSvgLimits): SvgValidation {
  // Why two passes: position tracking costs saxes ~25% and only error messages need it, so a
  // malformed document is parsed again to say where it breaks.
  const validation = validate(svg, limits, false);
  const malformed = validation.kind === "invalid" && validation.outcome.kind === "XmlError";
  return malformed ? validate(svg, limits, true) : validation;
}
