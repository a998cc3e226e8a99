// Goal: every render outcome maps to the release's Coder flags, and every failure says what
// happened in words. Method: the mapping for each kind, and a property over NoCode's svgLike.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { coderFailureTier, type RenderFailure, type RenderOutcome } from "../../src/render/index.ts";
import {
  badGeometry,
  forbidden,
  noCode,
  notSvgLike,
  rendererCrash,
  timeout,
  tooLarge,
  xmlError,
} from "../../src/render/outcome.ts";

const plainFailures: readonly RenderFailure[] = [
  xmlError("parser", "1:5: unclosed tag"),
  xmlError("resvg", "nodes limit reached"),
  forbidden("externalReference", 'the reference href="file:///etc/passwd"'),
  tooLarge("elementCount", 10_001, 10_000),
  badGeometry(100_000, 100, "the longer side exceeds 16384 px"),
  badGeometry(null, null, "width is not a length"),
  timeout(2000),
  rendererCrash(null, "SIGABRT", "memory allocation of 40000000000 bytes failed"),
  rendererCrash(1, null, ""),
];

describe("coderFailureTier", () => {
  test("a rendered image is not a failure", () => {
    const image = { width: 1, height: 1, rgba: new Uint8Array(4), png: new Uint8Array(0), pixelSha256: "" };
    const ok: RenderOutcome = { kind: "ok", image, source: "svgFence" };
    assert.deepEqual(coderFailureTier(ok), { rendered: true });
  });

  test("NoCode sets noCodeExtracted, and notSvgLike unless the text looked like SVG", () => {
    fc.assert(
      fc.property(fc.boolean(), (svgLike) => {
        assert.deepEqual(coderFailureTier(noCode(svgLike)), {
          rendered: false,
          noCodeExtracted: true,
          notSvgLike: !svgLike,
        });
      }),
    );
  });

  test("NotSvgLike sets only notSvgLike", () => {
    assert.deepEqual(coderFailureTier(notSvgLike("svgFence")), {
      rendered: false,
      noCodeExtracted: false,
      notSvgLike: true,
    });
  });

  test("every other failure is a plain failed render", () => {
    for (const failure of plainFailures) {
      assert.deepEqual(
        coderFailureTier(failure),
        { rendered: false, noCodeExtracted: false, notSvgLike: false },
        failure.kind,
      );
    }
  });

  test("messages name the problem", () => {
    assert.match(timeout(1500).message, /1500 ms/);
    assert.match(rendererCrash(null, "SIGKILL", "").message, /signal SIGKILL/);
    assert.match(rendererCrash(134, null, "boom").message, /exit code 134.*boom/);
    assert.match(tooLarge("inputBytes", 9, 8).message, /inputBytes 9 > 8/);
    assert.match(badGeometry(0, 10, "a side is zero or negative").message, /0 x 10.*zero/);
    assert.match(noCode(true).message, /closing <\/svg>/);
    for (const failure of plainFailures) assert.ok(failure.message.length > 20, failure.kind);
  });
});
