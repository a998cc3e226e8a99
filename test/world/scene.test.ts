// Goal: captions and SVGs specify scenes exactly: caption -> scene -> caption and scene -> SVG -> scene
// are identities, golden examples pin the forms of docs/world.md, and text outside the grammar fails
// with a typed error instead of a wrong scene.
// Method: fast-check over scene arbitraries (independent of the sampler) and over sampled scenes,
// golden strings per content type, and hand-made malformed inputs.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { keyedRandom } from "../../src/rng/index.ts";
import {
  CaptionParseError,
  captionText,
  parseCaption,
  readSvgScene,
  type Scene,
  SvgSceneError,
  sampleScene,
  sceneProblem,
  sceneSvg,
  worldContentTypes,
} from "../../src/world/index.ts";
import { sceneArbitrary } from "./arbitraries.ts";

const svgHeader = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">';

const goldens: { scene: Scene; caption: string; svg: string }[] = [
  {
    scene: {
      contentType: "data_chart",
      bars: [
        { colour: "red", value: 5 },
        { colour: "blue", value: 3 },
        { colour: "green", value: 7 },
      ],
    },
    caption: " bar chart red 5 blue 3 green 7",
    svg:
      `${svgHeader}<rect x="1" y="16" width="4" height="15" fill="red"/>` +
      '<rect x="6" y="22" width="4" height="9" fill="blue"/><rect x="11" y="10" width="4" height="21" fill="green"/></svg>',
  },
  {
    scene: {
      contentType: "geometry",
      shapes: [
        { colour: "red", shape: "circle" },
        { colour: "blue", shape: "square" },
        { colour: "red", shape: "triangle" },
        { colour: "green", shape: "circle" },
      ],
    },
    caption: " geometry red circle blue square red triangle green circle",
    svg:
      `${svgHeader}<circle cx="6" cy="6" r="4" fill="red"/><rect x="12" y="2" width="8" height="8" fill="blue"/>` +
      '<polygon points="26,2 30,10 22,10" fill="red"/><circle cx="6" cy="16" r="4" fill="green"/></svg>',
  },
  {
    scene: {
      contentType: "table",
      rows: [
        ["red", "blue"],
        ["blue", "blue"],
      ],
    },
    caption: " table red blue ; blue blue",
    svg:
      `${svgHeader}<rect x="1" y="1" width="7" height="7" fill="red"/><rect x="9" y="1" width="7" height="7" fill="blue"/>` +
      '<rect x="1" y="9" width="7" height="7" fill="blue"/><rect x="9" y="9" width="7" height="7" fill="blue"/></svg>',
  },
  {
    scene: {
      contentType: "diagram",
      nodes: ["red", "blue", "green"],
      links: [
        [0, 1],
        [1, 2],
      ],
    },
    caption: " network diagram red blue green links red blue blue green",
    svg:
      `${svgHeader}<line x1="16" y1="5" x2="27" y2="13" stroke="black" stroke-width="2"/>` +
      '<line x1="27" y1="13" x2="23" y2="26" stroke="black" stroke-width="2"/>' +
      '<circle cx="16" cy="5" r="4" fill="red"/><circle cx="27" cy="13" r="4" fill="blue"/>' +
      '<circle cx="23" cy="26" r="4" fill="green"/></svg>',
  },
];

describe("captions", () => {
  test("golden captions per content type", () => {
    for (const { scene, caption } of goldens) {
      assert.equal(captionText(scene), caption);
      assert.deepEqual(parseCaption(caption), { ok: true, value: scene });
    }
  });

  test("caption -> scene -> caption is the identity (arbitrary scenes)", () => {
    fc.assert(
      fc.property(sceneArbitrary, (scene) => {
        assert.equal(sceneProblem(scene), undefined);
        const parsed = parseCaption(captionText(scene));
        assert.ok(parsed.ok);
        assert.deepEqual(parsed.value, scene);
      }),
      { seed: 11, numRuns: 500 },
    );
  });

  test("sampled scenes are valid and round-trip", () => {
    for (const contentType of worldContentTypes) {
      for (let index = 0; index < 200; index++) {
        const scene = sampleScene(keyedRandom("caption-test", contentType, index), contentType);
        assert.equal(sceneProblem(scene), undefined, captionText(scene));
        assert.deepEqual(parseCaption(captionText(scene)), { ok: true, value: scene });
      }
    }
  });

  test("case, spacing and link order are free; the scene is canonical", () => {
    const parsed = parseCaption("Network  Diagram red blue green LINKS green blue blue red");
    assert.deepEqual(parsed, { ok: true, value: goldens[3]!.scene });
  });

  test("captions outside the grammar fail with a typed error", () => {
    const outside = [
      "",
      "pie chart red 5",
      "bar chart red 5 blue",
      "bar chart red 5 blue 3",
      "bar chart red 5 red 3 blue 2",
      "bar chart red 10 blue 3 green 2",
      "bar chart red 5 blue 3 green 2 yellow 1 purple 4 orange 6 red 1",
      "geometry red circle",
      "geometry red hexagon blue circle",
      "table red blue ; green",
      "table red blue red red red ; red red red red red",
      "network diagram red blue green",
      "network diagram red blue green links red purple",
      "network diagram red blue green links red red",
      "network diagram red blue green links red blue blue red",
    ];
    for (const caption of outside) {
      const parsed = parseCaption(caption);
      assert.equal(parsed.ok, false, caption);
      if (!parsed.ok) assert.ok(parsed.error instanceof CaptionParseError);
    }
  });
});

describe("SVG", () => {
  test("golden SVGs per content type", () => {
    for (const { scene, svg } of goldens) {
      assert.equal(sceneSvg(scene), svg);
      assert.deepEqual(readSvgScene(svg), { ok: true, value: scene });
    }
  });

  test("scene -> SVG -> scene is the identity, with and without the content type", () => {
    fc.assert(
      fc.property(sceneArbitrary, (scene) => {
        const svg = sceneSvg(scene);
        assert.deepEqual(readSvgScene(svg, scene.contentType), { ok: true, value: scene });
        assert.deepEqual(readSvgScene(svg), { ok: true, value: scene });
      }),
      { seed: 12, numRuns: 300 },
    );
  });

  test("attribute order, element order, whitespace and number spelling are free", () => {
    const svg =
      '<?xml version="1.0"?>\n<svg viewBox="0 0 32.0 32" xmlns="http://www.w3.org/2000/svg">\n' +
      '  <rect fill="blue" height="9.0" width="4" y="22" x="6" />\n' +
      '  <rect x="1" y="16" width="4" height="15" fill="RED"/>\n' +
      '  <rect x="11" y="10" width="4" height="21" fill="green"></rect>\n</svg>';
    assert.deepEqual(readSvgScene(svg, "data_chart"), { ok: true, value: goldens[0]!.scene });
  });

  test("SVGs that are not a canonical scene fail with a typed error", () => {
    const bars = goldens[0]!.svg;
    const broken = [
      "not svg at all",
      bars.replace("</svg>", ""),
      bars.replace('viewBox="0 0 32 32"', 'viewBox="0 0 64 64"'),
      bars.replace('fill="red"/>', 'fill="red" stroke="black"/>'),
      bars.replace('fill="red"', 'fill="pink"'),
      bars.replace('height="15"', 'height="14"'),
      bars.replace('x="11"', 'x="16"'),
      bars.replace('<rect x="6" y="22" width="4" height="9" fill="blue"/>', ""),
      bars.replace("</svg>", '<rect x="1" y="16" width="4" height="15" fill="red"/></svg>'),
      bars.replace("</svg>", "<g></g></svg>"),
      bars.replace("</svg>", "hello</svg>"),
      bars.replace("</svg>", '<g><rect x="1" y="1" width="1" height="1" fill="red"/></g></svg>'),
      goldens[3]!.svg.replace('stroke="black"', 'stroke="red"'),
      goldens[1]!.svg.replace("26,2 30,10 22,10", "26,2 30,10 22,11"),
      goldens[2]!.svg.replace('<rect x="9" y="9" width="7" height="7" fill="blue"/>', ""),
    ];
    for (const svg of broken) {
      const read = readSvgScene(svg);
      assert.equal(read.ok, false, svg);
      if (!read.ok) assert.ok(read.error instanceof SvgSceneError);
    }
  });

  test("a triangle's corners may come in any order", () => {
    const svg = goldens[1]!.svg.replace("26,2 30,10 22,10", "22,10 26,2 30,10");
    assert.deepEqual(readSvgScene(svg, "geometry"), { ok: true, value: goldens[1]!.scene });
  });
});
