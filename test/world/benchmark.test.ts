// Goal: the committed public benchmark is exactly what its generator produces, is well formed and
// correctly labelled, and shares no item (no scene at all) with the pretraining corpus.
// Method: regenerate and compare bytes; decode with the schema; re-answer every item through the
// oracle; prove disjointness twice: (1) every benchmark scene is in hash bucket 0 and every corpus
// scene outside it (fast-check over keys), (2) empirically, no caption of a large corpus sample is a
// benchmark caption.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import fc from "fast-check";
import { keyedRandom } from "../../src/rng/index.ts";
import {
  BenchmarkFormatError,
  benchmarkEasyPerContentType,
  benchmarkHardPerContentType,
  benchmarkJsonl,
  captionText,
  corpusExample,
  generateBenchmark,
  oracleAnswer,
  oracleDepicts,
  parseBenchmarkJsonl,
  parseCaption,
  sampleSceneIn,
  scenePartition,
  worldContentTypes,
} from "../../src/world/index.ts";
import { sceneArbitrary } from "./arbitraries.ts";

const committed = readFileSync(new URL("../../bench/data/benchmark.jsonl", import.meta.url), "utf8");
const items = parseBenchmarkJsonl(committed);

function partitionOfCaption(caption: string) {
  const scene = parseCaption(caption);
  assert.ok(scene.ok, caption);
  return scenePartition(scene.value);
}

describe("benchmark file", () => {
  test("equals the generator's output (regenerate with scripts/make-benchmark.ts)", () => {
    assert.equal(benchmarkJsonl(generateBenchmark()), committed);
  });

  test("has 75 items per content type, 1/3 easy, unique ids and (scene, question) pairs", () => {
    assert.equal(
      items.length,
      worldContentTypes.length * (benchmarkEasyPerContentType + benchmarkHardPerContentType),
    );
    for (const contentType of worldContentTypes) {
      const ofType = items.filter((item) => item.content_type === contentType);
      assert.equal(ofType.filter((item) => item.level === "easy").length, benchmarkEasyPerContentType);
      assert.equal(ofType.filter((item) => item.level === "hard").length, benchmarkHardPerContentType);
    }
    assert.equal(new Set(items.map((item) => item.id)).size, items.length);
    assert.equal(new Set(items.map((item) => `${item.caption}|${item.question}`)).size, items.length);
  });

  test("every item is labelled right, drawn right and in the benchmark partition", () => {
    for (const item of items) {
      const oracle = oracleAnswer(item.caption, item.question);
      assert.ok(oracle.ok, item.id);
      assert.deepEqual(oracle.value, { answer: item.answer, level: item.level, steps: item.steps }, item.id);
      assert.deepEqual(
        oracleDepicts(item.caption, item.svg),
        { ok: true, value: { depicts: true } },
        item.id,
      );
      assert.equal(partitionOfCaption(item.caption), "benchmark", item.id);
    }
  });

  test("a malformed line is reported with its line number", () => {
    const lines = committed.split("\n");
    const broken = [
      lines[0],
      lines[1]!.replace('"level":"easy"', '"level":"medium"'),
      ...lines.slice(2),
    ].join("\n");
    assert.throws(
      () => parseBenchmarkJsonl(broken),
      (error: unknown) => {
        assert.ok(error instanceof BenchmarkFormatError);
        assert.equal(error.lineNumber, 2);
        return true;
      },
    );
  });
});

describe("benchmark and corpus are disjoint", () => {
  test("the partition is a function of the scene and splits about 1/8 : 7/8", () => {
    let benchmark = 0;
    fc.assert(
      fc.property(sceneArbitrary, (scene) => {
        const partition = scenePartition(scene);
        assert.equal(scenePartition(JSON.parse(JSON.stringify(scene))), partition);
        if (partition === "benchmark") benchmark += 1;
      }),
      { seed: 41, numRuns: 2000 },
    );
    assert.ok(benchmark > 150 && benchmark < 350, `${benchmark} of 2000 in the benchmark partition`);
  });

  test("the corpus sampler only returns corpus scenes, the benchmark sampler only benchmark ones", () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.nat(1_000_000),
        fc.constantFrom(...worldContentTypes),
        (seed, index, contentType) => {
          const random = keyedRandom(seed, index);
          assert.equal(scenePartition(sampleSceneIn(random.fork("c"), contentType, "corpus")), "corpus");
          assert.equal(
            scenePartition(sampleSceneIn(random.fork("b"), contentType, "benchmark")),
            "benchmark",
          );
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  test("no caption of a large corpus sample is a benchmark caption", () => {
    const benchmarkCaptions = new Set(items.map((item) => item.caption));
    const corpusCaptions = new Set<string>();
    for (const seed of ["pretrain-0", "pretrain-1"]) {
      for (let index = 0; index < 1000; index++) {
        for (const role of ["proposer", "coder", "solver"] as const) {
          const example = corpusExample(seed, role, index);
          const caption = example.role === "proposer" ? example.proposal.caption : example.caption;
          corpusCaptions.add(caption);
        }
      }
    }
    assert.ok(corpusCaptions.size > 5000, `${corpusCaptions.size} distinct corpus scenes`);
    const shared = [...corpusCaptions].filter((caption) => benchmarkCaptions.has(caption));
    assert.deepEqual(shared, []);
    // The check can fail: benchmark scenes are drawable at all, just never by the corpus sampler.
    const anyBenchmarkScene = items[0]!;
    assert.equal(
      captionText(parseCaptionOrFail(anyBenchmarkScene.caption)).trim(),
      anyBenchmarkScene.caption,
    );
  });
});

function parseCaptionOrFail(caption: string) {
  const scene = parseCaption(caption);
  assert.ok(scene.ok);
  return scene.value;
}
