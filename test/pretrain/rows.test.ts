// Goal: the base is trained on exactly what the loop feeds each role: prompts built by the loop's
// own formats (worldRoleFormats) and codec, responses as the codec's response tokens, Solver images
// rendered at the model's image size; and nothing but pretraining-corpus examples is trained on.
// Method: rebuild the rows independently for many corpus examples of every role; walk the trainer's
// first steps and check every example against the benchmark. (That no benchmark scene can appear in
// the corpus at all is proven in test/world/benchmark.test.ts; this test ties the trainer to that
// corpus.)
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { worldRoleFormats, worldTextCodec } from "../../src/policy/index.ts";
import {
  jitteredView,
  loopPromptText,
  pretrainExamples,
  pretrainPresets,
  SceneImages,
  trainingRow,
} from "../../src/pretrain/index.ts";
import { renderSvgInProcess } from "../../src/render/index.ts";
import { keyedRandom } from "../../src/rng/index.ts";
import {
  corpusExample,
  corpusRoles,
  drawViewShift,
  parseBenchmarkJsonl,
  parseCaption,
  scenePartition,
  shiftedSceneSvg,
} from "../../src/world/index.ts";

const codec = worldTextCodec();
const images = new SceneImages(32);

test("training rows use the loop's prompts and codec for every role", () => {
  for (const role of corpusRoles) {
    for (let index = 0; index < 200; index++) {
      const example = corpusExample("rows-test", role, index);
      const expectedPrompt =
        example.role === "proposer"
          ? worldRoleFormats.proposerPrompt(example.topic)
          : example.role === "coder"
            ? worldRoleFormats.coderPrompt(example.proposal)
            : worldRoleFormats.solverPrompt(example.question);
      assert.equal(example.prompt, expectedPrompt, `${role} ${index}: corpus prompt is not the loop's`);
      assert.equal(loopPromptText(example), expectedPrompt);
      const row = trainingRow(example, codec, images);
      assert.deepEqual(row.prompt, codec.promptTokens(expectedPrompt));
      assert.equal(row.prompt[0], codec.tokenizer.bosId);
      // Exactly encodable: the codec's prompt encoding skips unknown characters, the corpus has none.
      assert.deepEqual(row.prompt.slice(1), codec.tokenizer.encode(expectedPrompt));
      assert.deepEqual(row.response, codec.responseTokens(example.target));
      assert.equal(codec.responseText(row.response), example.target);
      if (example.role === "solver") {
        const rendered = renderSvgInProcess(example.svg, { size: 32, extract: false });
        assert.ok(rendered.kind === "ok");
        assert.deepEqual(row.image, rendered.image.rgba);
      } else {
        assert.equal(row.image, undefined, `${role} rows are text only, as in the loop`);
      }
    }
  }
});

test("the trainer's batches are fresh corpus examples, none of them a benchmark item or scene", () => {
  const benchmark = parseBenchmarkJsonl(
    readFileSync(new URL("../../bench/data/benchmark.jsonl", import.meta.url), "utf8"),
  );
  const benchmarkPairs = new Set(benchmark.map((item) => `${item.caption}|${item.question}`));
  const benchmarkCaptions = new Set(benchmark.map((item) => item.caption));
  const settings = { ...pretrainPresets.small, batchSize: 16 };
  const seen = new Set<string>();
  for (let step = 0; step < 120; step++) {
    const { role, examples } = pretrainExamples(settings, step);
    for (const example of examples) {
      assert.equal(example.role, role);
      assert.deepEqual(example, corpusExample(settings.seed, role, example.index, settings.corpus));
      const key = `${role}/${example.index}`;
      assert.ok(!seen.has(key), `${key} trained on twice`);
      seen.add(key);
      const caption = example.role === "proposer" ? example.proposal.caption : example.caption;
      const scene = parseCaption(caption);
      assert.ok(
        scene.ok && scenePartition(scene.value) === "corpus",
        `${key}: scene outside the corpus partition`,
      );
      assert.ok(!benchmarkCaptions.has(caption), `${key}: a benchmark scene`);
      if (example.role === "solver") assert.ok(!benchmarkPairs.has(`${caption}|${example.question}`));
    }
  }
  assert.equal(seen.size, 120 * 16);
});

test("with a view jitter each Solver row shows its scene through its own keyed, shifted camera", () => {
  const view = jitteredView("rows-test", 1);
  const shifts = new Set<string>();
  for (let index = 0; index < 60; index++) {
    const example = corpusExample("rows-test", "solver", index);
    assert.ok(example.role === "solver");
    const shift = drawViewShift(keyedRandom("rows-test", "view-jitter", index), 1);
    const svg = view(example);
    assert.equal(svg, shiftedSceneSvg(example.svg, shift));
    assert.equal(view(example), svg, "the same example always gets the same view");
    shifts.add(`${shift.dx},${shift.dy}`);
    const row = trainingRow(example, codec, images, view);
    const rendered = renderSvgInProcess(svg, { size: 32, extract: false });
    assert.ok(rendered.kind === "ok");
    assert.deepEqual(row.image, rendered.image.rgba);
  }
  assert.ok(shifts.size > 30, `only ${shifts.size} distinct views in 60 examples`);
});

test("a trusted scene that does not render is a typed error", () => {
  assert.throws(() => images.rgba("<svg"), { name: "SceneRenderError" });
});
