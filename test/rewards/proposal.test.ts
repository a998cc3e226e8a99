// Goal: Proposer outputs parse exactly as the release parses them, and content types resolve through
// normalisation and the keyword fallback in the release's order. Method: hand-written outputs for each
// rule, and a round-trip property over generated fields.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  classifyCaption,
  normaliseContentType,
  type Proposal,
  parseProposal,
  resolveContentType,
} from "../../src/rewards/index.ts";

const seed = 3_003;

function render(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([tag, content]) => `<${tag}>${content}</${tag}>`)
    .join("\n");
}

const complete = {
  content_type: "Data Chart",
  caption: "A bar chart of 3 bars: red 4, blue 2, green 7",
  easy_question: "How many bars?",
  easy_answer: "3",
  hard_question: "Tallest minus shortest?",
  hard_answer: "5",
};

function parsed(output: string): Proposal {
  const result = parseProposal(output);
  assert.ok(result.ok, `expected a parse, got ${JSON.stringify(result)}`);
  return result.proposal;
}

describe("parseProposal", () => {
  test("golden: all six tags, whitespace around tags removed, fields stripped", () => {
    const proposal = parsed(render(complete).replaceAll("<", " < ").replaceAll(">", " > "));
    assert.deepEqual(proposal, {
      contentType: "data_chart",
      caption: "A bar chart of 3 bars: red 4, blue 2, green 7",
      easyQuestion: "How many bars?",
      easyAnswer: "3",
      hardQuestion: "Tallest minus shortest?",
      hardAnswer: "5",
    });
  });
  test("the normalisation also rewrites content: 'a / b' becomes 'a/b'", () => {
    assert.equal(parsed(render({ ...complete, caption: "ratio a / b" })).caption, "ratio a/b");
  });
  test("the first occurrence of a repeated tag wins", () => {
    assert.equal(parsed(`${render(complete)}<easy_answer>9</easy_answer>`).easyAnswer, "3");
    assert.equal(parsed(`<easy_answer>1</easy_answer>${render(complete)}`).easyAnswer, "1");
  });
  test("format is invalid iff a required field is missing; content_type is optional; empty counts", () => {
    const { hard_answer: _dropped, ...withoutHardAnswer } = complete;
    assert.deepEqual(parseProposal(render(withoutHardAnswer)), { ok: false, missingFields: ["hard_answer"] });
    const { content_type: _type, ...withoutType } = complete;
    assert.equal(parsed(render(withoutType)).contentType, "other");
    assert.equal(parsed(render({ ...complete, easy_answer: "  " })).easyAnswer, "");
    assert.deepEqual(parseProposal("no tags at all"), {
      ok: false,
      missingFields: ["caption", "easy_question", "easy_answer", "hard_question", "hard_answer"],
    });
  });
  test("tags are lower case only; an unclosed tag is missing", () => {
    assert.equal(parseProposal(render(complete).replace(/caption>/g, "Caption>")).ok, false);
    assert.equal(parseProposal(render(complete).replace("</caption>", "")).ok, false);
  });
  test("law: rendering stripped fields and parsing them back returns them unchanged", () => {
    const field = fc.stringMatching(/^[a-zA-Z0-9 ,.?:]{0,30}$/).map((text) => text.trim());
    fc.assert(
      fc.property(fc.tuple(field, field, field, field, field), ([caption, easyQ, easyA, hardQ, hardA]) => {
        const proposal = parsed(
          render({
            caption,
            easy_question: easyQ,
            easy_answer: easyA,
            hard_question: hardQ,
            hard_answer: hardA,
          }),
        );
        assert.deepEqual(proposal, {
          contentType: "other",
          caption,
          easyQuestion: easyQ,
          easyAnswer: easyA,
          hardQuestion: hardQ,
          hardAnswer: hardA,
        });
      }),
      { seed },
    );
  });
});

describe("content types", () => {
  test("normalisation: case, spaces to underscores, DATACHART, anything else is other", () => {
    assert.equal(normaliseContentType("Data Chart"), "data_chart");
    assert.equal(normaliseContentType("DATACHART"), "data_chart");
    assert.equal(normaliseContentType(" Geometry "), "geometry");
    assert.equal(normaliseContentType("pie"), "other");
    assert.equal(normaliseContentType(""), "other");
  });
  test("keyword fallback: one caption per class, and 'other' without keywords", () => {
    assert.equal(classifyCaption("A flowchart of steps"), "diagram");
    assert.equal(classifyCaption("A PIE CHART of fruit"), "data_chart");
    assert.equal(classifyCaption("A triangle with sides 3, 4, 5"), "geometry");
    assert.equal(classifyCaption("Project Gantt view"), "timeline");
    assert.equal(classifyCaption("A country outline"), "map");
    assert.equal(classifyCaption("A 3 by 3 grid of cells"), "table");
    assert.equal(classifyCaption("Three dots"), "other");
  });
  test("keyword fallback: first class in the release's order wins", () => {
    // "heatmap" (data_chart) also contains "map"; data_chart is tested first.
    assert.equal(classifyCaption("a heatmap"), "data_chart");
    // diagram before geometry: "block diagram" beats "rectangle".
    assert.equal(classifyCaption("block diagram of rectangle nodes"), "diagram");
    // substring matching, as the release: "angle" inside "rectangle" is geometry.
    assert.equal(classifyCaption("a rectangle"), "geometry");
  });
  test("resolution: declared type, or the caption's when declared other", () => {
    const base = parsed(render(complete));
    assert.equal(resolveContentType({ ...base, contentType: "table" }), "table");
    assert.equal(resolveContentType({ ...base, contentType: "other" }), "data_chart");
  });
});
