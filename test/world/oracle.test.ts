// Goal: the oracle (analysis only) tells true answers and faithful SVGs apart from wrong ones, and
// reports why it cannot judge (typed failures) instead of guessing.
// Method: hand-made captions and questions; SVGs of the caption's scene, of a slightly different scene,
// and of another content type.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CaptionParseError,
  oracleAnswer,
  oracleDepicts,
  parseCaption,
  QuestionEvaluationError,
  QuestionParseError,
  sceneSvg,
} from "../../src/world/index.ts";

function svgOf(caption: string): string {
  const scene = parseCaption(caption);
  assert.ok(scene.ok);
  return sceneSvg(scene.value);
}

const caption = "bar chart red 5 blue 3 green 7";

describe("oracleAnswer", () => {
  test("answers with level and steps", () => {
    assert.deepEqual(oracleAnswer(caption, "value red minus value blue"), {
      ok: true,
      value: { answer: "2", level: "hard", steps: 3 },
    });
    assert.deepEqual(oracleAnswer(caption, " Value   GREEN "), {
      ok: true,
      value: { answer: "7", level: "easy", steps: 1 },
    });
  });

  test("says which input has no answer", () => {
    const badCaption = oracleAnswer("bar chart red", "value red");
    const badQuestion = oracleAnswer(caption, "value of red");
    const noAnswer = oracleAnswer(caption, "value purple");
    assert.ok(!badCaption.ok && badCaption.error instanceof CaptionParseError);
    assert.ok(!badQuestion.ok && badQuestion.error instanceof QuestionParseError);
    assert.ok(
      !noAnswer.ok && noAnswer.error instanceof QuestionEvaluationError && noAnswer.error.kind === "absent",
    );
  });
});

describe("oracleDepicts", () => {
  test("accepts the caption's own SVG", () => {
    assert.deepEqual(oracleDepicts(caption, svgOf(caption)), { ok: true, value: { depicts: true } });
  });

  test("rejects a different scene, a different content type and a broken SVG, with a reason", () => {
    const others = [
      svgOf("bar chart red 5 blue 4 green 7"),
      svgOf("bar chart red 5 green 7 blue 3"),
      svgOf("bar chart red 5 blue 3 green 7 yellow 1"),
      svgOf("table red blue ; green red"),
      "<svg",
    ];
    for (const svg of others) {
      const judged = oracleDepicts(caption, svg);
      assert.ok(judged.ok);
      assert.equal(judged.value.depicts, false, svg);
      if (!judged.value.depicts) assert.ok(judged.value.reason.length > 0);
    }
  });

  test("cannot judge a caption outside the grammar", () => {
    const judged = oracleDepicts("a nice chart", svgOf(caption));
    assert.ok(!judged.ok && judged.error instanceof CaptionParseError);
  });
});
