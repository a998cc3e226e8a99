// Goal: validation refuses every hostile input with the right typed outcome before any pixel is
// allocated, and lets ordinary SVG (internal references, gradients, CSS, data images) through.
// Method: the shared hostile corpus through the in-process path (all are refused before resvg
// allocates pixels), examples of allowed constructs, geometry resolution cases, and fast-check
// laws: arbitrary text never throws, and url() passes exactly when it points at a #fragment.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { defaultSvgLimits, renderSvgInProcess, validateSvg } from "../../src/render/index.ts";
import { hostileCases, onePixelPngDataUrl } from "./hostile-corpus.ts";

const open = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"';
const document = (body: string, size = 'width="64" height="64"') => `${open} ${size}>${body}</svg>`;

describe("the hostile corpus, in process", () => {
  for (const hostile of hostileCases) {
    test(`${hostile.name} -> ${hostile.kind}`, () => {
      const outcome = renderSvgInProcess(hostile.input, { size: 32, extract: hostile.extract });
      assert.equal(outcome.kind, hostile.kind, "message" in outcome ? outcome.message : "rendered");
      if (outcome.kind === "Forbidden") assert.equal(outcome.reason, hostile.reason);
      if (outcome.kind === "TooLarge") assert.equal(outcome.limit, hostile.limit);
      assert.ok("message" in outcome && outcome.message.length > 20);
    });
  }
});

describe("validateSvg lets ordinary SVG through", () => {
  const allowed: ReadonlyArray<readonly [string, string]> = [
    [
      "an XML declaration and a comment",
      `<?xml version="1.0" encoding="UTF-8"?><!-- chart -->${document("")}`,
    ],
    [
      "a gradient by url(#id)",
      document('<linearGradient id="g"/><rect width="9" height="9" fill="url(#g)"/>'),
    ],
    [
      "quoted url('#id') in a style attribute",
      document(`<rect width="9" height="9" style="fill: url( '#g' ); stroke: red"/>`),
    ],
    [
      "<use> of an internal id via xlink:href",
      document('<rect id="r" width="2" height="2"/><use xlink:href="#r" x="3"/>'),
    ],
    ["a small data:image/png", document(`<image href="${onePixelPngDataUrl}" width="9" height="9"/>`)],
    [
      "CSS in CDATA",
      document("<style><![CDATA[ rect { fill: #123; } ]]></style><rect width='9' height='9'/>"),
    ],
    ["elements in another namespace", document('<m:meta xmlns:m="urn:x"/>')],
    ["predefined entities and character references", document("<text>&lt;&amp;&#x41;&#66;</text>")],
  ];
  for (const [name, svg] of allowed) {
    test(name, () => assert.equal(validateSvg(svg).kind, "valid"));
  }
});

describe("geometry", () => {
  const fitSideOf = (size: string) => {
    const validation = validateSvg(document("", size));
    assert.equal(validation.kind, "valid", JSON.stringify(validation));
    return validation.kind === "valid" ? validation.fitSide : undefined;
  };

  test("fits the longer side: width for landscape and square, height for portrait", () => {
    assert.equal(fitSideOf('width="200" height="100"'), "width");
    assert.equal(fitSideOf('width="50" height="50"'), "width");
    assert.equal(fitSideOf('width="1in" height="2in"'), "height");
    assert.equal(fitSideOf('viewBox="0 0 10 30"'), "height");
    assert.equal(fitSideOf('width="100%" height="50%" viewBox="0 0 40 100"'), "height");
  });

  test("converts units before the size rule: 200in is 19200 px, over the 16384 px limit", () => {
    const validation = validateSvg(document("", 'width="200in" height="100in"'));
    assert.equal(validation.kind === "invalid" && validation.outcome.kind, "BadGeometry");
    assert.equal(validateSvg(document("", 'width="170in" height="100in"')).kind, "valid");
  });

  test("a size the attributes leave open (percent without viewBox) is left to resvg's check", () => {
    assert.equal(fitSideOf('width="50%"'), "width");
  });

  test("refuses a malformed length or viewBox", () => {
    for (const size of ['width="12furlongs" height="3"', 'viewBox="0 0 10"', 'viewBox="0 0 -4 4"']) {
      const validation = validateSvg(document("", size));
      assert.equal(validation.kind === "invalid" && validation.outcome.kind, "BadGeometry", size);
    }
  });

  test("the aspect limit is inclusive at 100", () => {
    assert.equal(validateSvg(document("", 'width="1000" height="10"')).kind, "valid");
    assert.equal(validateSvg(document("", 'width="1001" height="10"')).kind, "invalid");
  });
});

describe("limits", () => {
  test("element count and depth limits are exact", () => {
    const limits = { ...defaultSvgLimits, elementCountMax: 5, nestingDepthMax: 3 };
    assert.equal(validateSvg(document("<g/><g/><g/><g/>"), limits).kind, "valid");
    const tooMany = validateSvg(document("<g/><g/><g/><g/><g/>"), limits);
    assert.deepEqual(
      tooMany.kind === "invalid" && tooMany.outcome.kind === "TooLarge" && tooMany.outcome.limit,
      "elementCount",
    );
    assert.equal(validateSvg(document("<g><g/></g>"), limits).kind, "valid");
    const tooDeep = validateSvg(document("<g><g><g/></g></g>"), limits);
    assert.deepEqual(
      tooDeep.kind === "invalid" && tooDeep.outcome.kind === "TooLarge" && tooDeep.outcome.limit,
      "nestingDepth",
    );
  });
});

describe("laws", () => {
  test("arbitrary text never throws: it is valid or comes to a typed outcome", () => {
    const pieces = fc.constantFrom(
      open,
      ">",
      "</svg>",
      "<g>",
      "</g>",
      "<!DOCTYPE x>",
      "&a;",
      "<?pi?>",
      '"',
      "=",
      " a",
      "<",
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string({ maxLength: 6 })), { maxLength: 25 }), (parts) => {
        const validation = validateSvg(parts.join(""));
        if (validation.kind === "invalid") assert.ok(validation.outcome.message.length > 0);
      }),
      { seed: 11, numRuns: 500 },
    );
  });

  test("a url() passes exactly when its target starts with #", () => {
    const target = fc.oneof(
      fc.string({ maxLength: 12 }).map((text) => `#${text}`),
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        "file:///etc/passwd",
        "http://x/y#z",
        "data:image/png;base64,AA",
        " #g",
        "'#g'",
        '"#g"',
      ),
    );
    fc.assert(
      fc.property(target, (raw) => {
        const value = raw.replace(/[<>&"')\\]/g, "");
        const fragment = value
          .trim()
          .replace(/^'(.*)'$/s, "$1")
          .trim()
          .startsWith("#");
        const validation = validateSvg(document(`<rect width="9" height="9" fill="url(${value})"/>`));
        const forbidden = validation.kind === "invalid" && validation.outcome.kind === "Forbidden";
        assert.equal(forbidden, !fragment, `url(${value}) -> ${JSON.stringify(validation)}`);
      }),
      { seed: 12, numRuns: 500 },
    );
  });
});
