// Goal: SVG extraction follows the reference's order (svg fence, xml fence with <svg, raw
// <svg...</svg>), tells "no code" from "not SVG-like", and stays linear on hostile text.
// Method: examples for each rule and its precedence, fast-check laws over surrounding prose,
// and a timing-free scale check (a huge hostile input must finish; node:test's timeout bounds it).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { extractSvg, isSvgLike } from "../../src/render/index.ts";
import { resolveRewardConfig, scoreCoder } from "../../src/rewards/index.ts";

const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="2" height="2"/></svg>';
// Prose that cannot itself open a fence or an <svg tag.
const prose = fc.string({ maxLength: 40 }).map((text) => text.replaceAll("`", "'").replaceAll("<", "("));

describe("extractSvg", () => {
  test("takes the first ```svg block, trimmed, before any other rule", () => {
    const text = `intro <svg>raw</svg>\n\`\`\`xml\n<svg>xml</svg>\n\`\`\`\n\`\`\`svg\n  ${svg}  \n\`\`\`\n\`\`\`svg\n<svg>second</svg>\n\`\`\``;
    assert.deepEqual(extractSvg(text), { kind: "code", code: svg, source: "svgFence", svgLike: true });
  });

  test("the svg fence tag is case-insensitive and must end at a non-word character", () => {
    assert.equal(extractSvg(`\`\`\`SVG\n${svg}\n\`\`\``).kind, "code");
    const other = extractSvg(`\`\`\`svgx\nnot this\n\`\`\`\n${svg}`);
    assert.deepEqual(other, { kind: "code", code: svg, source: "rawSvg", svgLike: true });
  });

  test("takes the first ```xml block that contains <svg, skipping xml blocks without it", () => {
    const text = `\`\`\`xml\n<note/>\n\`\`\`\n\`\`\`xml\n<?xml version="1.0"?>${svg}\n\`\`\``;
    assert.deepEqual(extractSvg(text), {
      kind: "code",
      code: `<?xml version="1.0"?>${svg}`,
      source: "xmlFence",
      svgLike: true,
    });
  });

  test("falls back to the first raw <svg up to the next </svg>", () => {
    assert.deepEqual(extractSvg(`Here: ${svg} and ${svg}`), {
      kind: "code",
      code: svg,
      source: "rawSvg",
      svgLike: true,
    });
  });

  test("an unclosed fence does not count; the raw rule still finds the SVG", () => {
    assert.deepEqual(extractSvg(`\`\`\`svg\n${svg}`), {
      kind: "code",
      code: svg,
      source: "rawSvg",
      svgLike: true,
    });
  });

  test("no code: SVG-likeness is judged on the whole output", () => {
    assert.deepEqual(extractSvg(""), { kind: "noCode", svgLike: false });
    assert.deepEqual(extractSvg("I can't draw that."), { kind: "noCode", svgLike: false });
    assert.deepEqual(extractSvg('<svg width="3">truncated'), { kind: "noCode", svgLike: true });
  });

  test("the xml-fence check and the raw fallback ignore case, as the release does", () => {
    const upper = svg.replace("<svg", "<SVG").replace("</svg>", "</Svg>");
    assert.deepEqual(extractSvg(`\`\`\`xml\n${upper}\n\`\`\``), {
      kind: "code",
      code: upper,
      source: "xmlFence",
      svgLike: true,
    });
    assert.deepEqual(extractSvg(`Here: ${upper} done`), {
      kind: "code",
      code: upper,
      source: "rawSvg",
      svgLike: true,
    });
  });

  test("a truncated <svg in an html fence: no code, so the Coder reward floors at -0.5", () => {
    const found = extractSvg('```html\n<svg width="3"><rect\n```');
    assert.deepEqual(found, { kind: "noCode", svgLike: true });
    const reward = scoreCoder(
      { kind: "render-failed", codeExtracted: false, svgLike: found.svgLike },
      "3",
      resolveRewardConfig("release"),
    );
    assert.equal(reward.total, -0.5);
  });

  test("an svg fence holding something else is extracted but not SVG-like", () => {
    assert.deepEqual(extractSvg("```svg\nprint(1)\n```"), {
      kind: "code",
      code: "print(1)",
      source: "svgFence",
      svgLike: false,
    });
  });

  test("law: an svg-fenced block is found whatever prose surrounds it", () => {
    fc.assert(
      fc.property(prose, prose, (before, after) => {
        const found = extractSvg(`${before}\n\`\`\`svg\n${svg}\n\`\`\`\n${after}`);
        assert.deepEqual(found, { kind: "code", code: svg, source: "svgFence", svgLike: true });
      }),
      { seed: 4, numRuns: 200 },
    );
  });

  test("law: extraction never throws and code is always a substring of the input", () => {
    const pieces = fc.constantFrom("```svg", "```xml", "```", "<svg", "</svg>", "\n", " ", "x", "<", "SVG");
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 30 }), (parts) => {
        const text = parts.join("");
        const found = extractSvg(text);
        if (found.kind === "code") assert.ok(text.includes(found.code));
        else assert.equal(found.svgLike, isSvgLike(text));
      }),
      { seed: 5, numRuns: 500 },
    );
  });

  test("thousands of unclosed fences and <svg openers are scanned in linear time", { timeout: 2000 }, () => {
    const hostile = "``svg <svg ``xml ".repeat(20_000).concat("```svg");
    assert.equal(extractSvg(hostile).kind, "noCode");
    const unclosed = "<svg ".repeat(40_000).concat("```svg\n<svg");
    assert.deepEqual(extractSvg(unclosed), { kind: "noCode", svgLike: true });
  });
});

describe("isSvgLike", () => {
  test("is the release's rule: stripped code starts with < or contains <svg (any case)", () => {
    assert.equal(isSvgLike("  <g/>"), true);
    assert.equal(isSvgLike("text then <SVG>"), true);
    assert.equal(isSvgLike("plot(x)"), false);
    assert.equal(isSvgLike("   "), false);
  });
});
