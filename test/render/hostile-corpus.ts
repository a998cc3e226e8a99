// Hostile and broken inputs for the renderer, each with the outcome it must come to. Shared by the
// pool test (every entry through the sandbox) and the validation test (the same in-process).
import { crc32, deflateSync } from "node:zlib";
import type { ForbiddenReason, RenderFailureKind, TooLargeLimit } from "../../src/render/index.ts";

export interface HostileCase {
  readonly name: string;
  readonly input: string | Uint8Array;
  /** false: the input is a whole SVG document (no extraction), as the CLI can render it. */
  readonly extract: boolean;
  readonly kind: RenderFailureKind;
  readonly reason?: ForbiddenReason;
  readonly limit?: TooLargeLimit;
}

const namespace = 'xmlns="http://www.w3.org/2000/svg"';
const xlink = 'xmlns:xlink="http://www.w3.org/1999/xlink"';
const svg = (body: string, attributes = 'width="64" height="64"') =>
  `<svg ${namespace} ${xlink} ${attributes}>${body}</svg>`;
const fenced = (code: string) => `Here is the chart:\n\`\`\`svg\n${code}\n\`\`\`\n`;

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE svg [
  <!ENTITY lol "lol">
  ${Array.from({ length: 9 }, (_, level) => `<!ENTITY lol${level + 1} "${`&lol${level === 0 ? "" : level};`.repeat(10)}">`).join("\n  ")}
]>
${svg("<text>&lol9;</text>")}`;
const externalEntity = `<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
${svg('<text x="0" y="20">&xxe;</text>')}`;
const manyElements = svg("<g/>".repeat(100_000));
const deepNesting = svg(`${"<g>".repeat(10_000)}<rect width="1" height="1"/>${"</g>".repeat(10_000)}`);
const onePixelPng =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

export const hostileCases: readonly HostileCase[] = [
  { name: "billion laughs", input: billionLaughs, extract: false, kind: "Forbidden", reason: "doctype" },
  {
    name: "billion laughs, fenced",
    input: fenced(billionLaughs),
    extract: true,
    kind: "Forbidden",
    reason: "doctype",
  },
  // Extraction starts at "<svg", dropping the DOCTYPE, so the entity is simply undefined.
  { name: "billion laughs, raw in prose", input: `Sure: ${billionLaughs}`, extract: true, kind: "XmlError" },
  {
    name: "external entity (XXE)",
    input: externalEntity,
    extract: false,
    kind: "Forbidden",
    reason: "doctype",
  },
  {
    name: "<image href=file:///etc/passwd>",
    input: svg('<image href="file:///etc/passwd" width="10" height="10"/>'),
    extract: false,
    kind: "Forbidden",
    reason: "externalReference",
  },
  {
    name: "<image xlink:href=http://>",
    input: svg('<image xlink:href="http://127.0.0.1:9/a.png" width="10" height="10"/>'),
    extract: false,
    kind: "Forbidden",
    reason: "externalReference",
  },
  {
    name: "<image href> relative path",
    input: svg('<image href="secret.png" width="10" height="10"/>'),
    extract: false,
    kind: "Forbidden",
    reason: "externalReference",
  },
  {
    name: "<image href=data:image/svg+xml>",
    input: svg(
      `<image href="data:image/svg+xml;base64,${Buffer.from(svg("")).toString("base64")}" width="9" height="9"/>`,
    ),
    extract: false,
    kind: "Forbidden",
    reason: "externalReference",
  },
  {
    name: "<use href=file:///etc/passwd#x>",
    input: svg('<use href="file:///etc/passwd#x"/>'),
    extract: false,
    kind: "Forbidden",
    reason: "externalReference",
  },
  {
    name: "<use xlink:href=http://>",
    input: svg('<use xlink:href="http://127.0.0.1:9/a.svg#a"/>'),
    extract: false,
    kind: "Forbidden",
    reason: "externalReference",
  },
  {
    name: "<feImage href=file:///etc/passwd>",
    input: svg('<filter id="f"><feImage href="file:///etc/passwd"/></filter>'),
    extract: false,
    kind: "Forbidden",
    reason: "externalReference",
  },
  {
    name: "CSS url(file:///etc/passwd) in <style>",
    input: svg("<style>rect { fill: url(file:///etc/passwd); }</style><rect width='9' height='9'/>"),
    extract: false,
    kind: "Forbidden",
    reason: "externalReference",
  },
  {
    name: "CSS url(http://) in a style attribute",
    input: svg('<rect width="9" height="9" style="fill: url(\'http://127.0.0.1:9/p.svg#g\')"/>'),
    extract: false,
    kind: "Forbidden",
    reason: "externalReference",
  },
  {
    name: "url(http://) in a presentation attribute",
    input: svg('<rect width="9" height="9" fill="url(http://127.0.0.1:9/p.svg#g)"/>'),
    extract: false,
    kind: "Forbidden",
    reason: "externalReference",
  },
  {
    name: "CSS @import",
    input: svg("<style><![CDATA[@import url(#x);]]></style>"),
    extract: false,
    kind: "Forbidden",
    reason: "cssImport",
  },
  {
    name: "CSS escape spelling url(",
    input: svg('<rect width="9" height="9" style="fill: u\\72l(http://127.0.0.1:9/)"/>'),
    extract: false,
    kind: "Forbidden",
    reason: "cssEscape",
  },
  {
    name: "<?xml-stylesheet?>",
    input: `<?xml-stylesheet href="http://127.0.0.1:9/a.css"?>${svg("")}`,
    extract: false,
    kind: "Forbidden",
    reason: "processingInstruction",
  },
  {
    name: "<script>",
    input: fenced(svg("<script>alert(1)</script>")),
    extract: true,
    kind: "Forbidden",
    reason: "forbiddenElement",
  },
  {
    name: "<foreignObject>",
    input: fenced(svg("<foreignObject><div>x</div></foreignObject>")),
    extract: true,
    kind: "Forbidden",
    reason: "forbiddenElement",
  },
  {
    name: "onload handler",
    input: svg('<rect onload="alert(1)" width="9" height="9"/>'),
    extract: true,
    kind: "Forbidden",
    reason: "eventHandler",
  },
  { name: "width=100000", input: svg("", 'width="100000" height="100"'), extract: true, kind: "BadGeometry" },
  { name: "width=0", input: svg("", 'width="0" height="100"'), extract: true, kind: "BadGeometry" },
  { name: "height=-5", input: svg("", 'width="10" height="-5"'), extract: true, kind: "BadGeometry" },
  { name: "viewBox 0 0 0 10", input: svg("", 'viewBox="0 0 0 10"'), extract: true, kind: "BadGeometry" },
  { name: "aspect 1000:1", input: svg("", 'width="10000" height="10"'), extract: true, kind: "BadGeometry" },
  // resvg rounds the size: 0.3 x 0.2 px is 0 x 0 pixels, caught in the worker on resvg's numbers.
  { name: "sub-pixel size", input: svg("", 'width="0.3" height="0.2"'), extract: true, kind: "BadGeometry" },
  { name: "10^5 elements", input: manyElements, extract: true, kind: "TooLarge", limit: "elementCount" },
  { name: "nesting depth 10^4", input: deepNesting, extract: true, kind: "TooLarge", limit: "nestingDepth" },
  {
    name: "oversized data: image",
    input: svg(`<image href="${onePixelPng}${"A".repeat(70_000)}" width="1" height="1"/>`),
    extract: true,
    kind: "TooLarge",
    limit: "dataUrlBytes",
  },
  { name: "malformed XML", input: fenced(`<svg ${namespace}><rect></svg>`), extract: true, kind: "XmlError" },
  {
    name: "no SVG namespace",
    input: "<svg width='9' height='9'><rect width='5' height='5'/></svg>",
    extract: true,
    kind: "XmlError",
  },
  { name: "undefined entity", input: svg("<text>&nope;</text>"), extract: true, kind: "XmlError" },
  {
    name: "invalid UTF-8",
    input: Uint8Array.from([
      ...Buffer.from(`<svg ${namespace}><text>`),
      0xff,
      0xfe,
      ...Buffer.from("</text></svg>"),
    ]),
    extract: true,
    kind: "XmlError",
  },
  { name: "lone surrogate", input: svg("<text>\uD800</text>"), extract: true, kind: "XmlError" },
  { name: "empty string", input: "", extract: true, kind: "NoCode" },
  {
    name: "50 MB of whitespace",
    input: " ".repeat(50 * 1024 * 1024),
    extract: true,
    kind: "TooLarge",
    limit: "inputBytes",
  },
  { name: "prose, no code", input: "I cannot draw that, sorry.", extract: true, kind: "NoCode" },
  {
    name: "python in an svg fence",
    input: "```svg\nimport matplotlib\n```",
    extract: true,
    kind: "NotSvgLike",
  },
];

/** Passes validation on purpose; only the sandbox's timeout stops it (notes: ~0.4 s per pair at 224 px). */
export function filterHeavySvg(pairs: number): string {
  const filter = Array.from(
    { length: pairs },
    (_, index) =>
      `<feGaussianBlur stdDeviation="20" result="b${index}"/><feMorphology radius="30" operator="dilate"/>`,
  ).join("");
  return svg(
    `<filter id="f">${filter}</filter><rect width="200" height="200" filter="url(#f)"/>`,
    'width="224" height="224"',
  );
}

/** 2^20 <use> copies from ~60 elements: passes validation; resvg stops at its node limit (~0.4 s). */
export function useBombSvg(): string {
  const levels = Array.from(
    { length: 20 },
    (_, level) => `<g id="u${level + 1}"><use href="#u${level}"/><use href="#u${level}"/></g>`,
  );
  return svg(`<defs><rect id="u0" width="1" height="1"/>${levels.join("")}</defs><use href="#u20"/>`);
}

export const onePixelPngDataUrl = onePixelPng;

function pngChunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A ~1 KB PNG whose header claims width x height RGBA pixels: decoding allocates them all. */
function pngBombDataUrl(width: number, height: number): string {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 6;
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  const idat = deflateSync(Buffer.alloc(1000));
  const png = Buffer.concat([
    signature,
    pngChunk("IHDR", header),
    pngChunk("IDAT", idat),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
  return `data:image/png;base64,${png.toString("base64")}`;
}

/**
 * Inputs that pass validation yet abort resvg natively (found on this machine: resvg-js 2.6.2
 * raises SIGABRT on a failed allocation). Only the process boundary contains them.
 */
export const nativeCrashCases: ReadonlyArray<{ readonly name: string; readonly svg: string }> = [
  {
    name: "a 2,000,000 px filter region (16 TB allocation)",
    svg: svg(
      '<filter id="f" filterUnits="userSpaceOnUse" x="-1000000" y="-1000000" width="2000000" height="2000000"><feFlood/></filter><rect width="9" height="9" filter="url(#f)"/>',
      'width="224" height="224"',
    ),
  },
  {
    // 1.6 GB of pixels: more than the worker's address-space limit, far less than this machine's RAM.
    name: "a 1 KB PNG claiming 20000 x 20000 pixels",
    svg: svg(`<image width="64" height="64" href="${pngBombDataUrl(20_000, 20_000)}"/>`),
  },
];
