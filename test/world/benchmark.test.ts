// Goal: each committed benchmark file (public, shifted) is exactly what its generator produces, is well
// formed and correctly labelled, and shares no item (no scene at all) with the pretraining corpus; the
// shifted file really is shifted (longer compositions, larger scenes) and repeats no public pair.
// Method: regenerate and compare bytes; decode with the schema; re-answer every item through the
// oracle; compare the two files' step and scene-size distributions; prove disjointness twice: (1) every
// benchmark scene is in hash bucket 0 and every corpus
// scene outside it (fast-check over keys), (2) empirically, no caption of a large corpus sample is a
// benchmark caption.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import fc from "fast-check";
import { keyedRandom } from "../../src/rng/index.ts";
import {
  BenchmarkFormatError,
  type BenchmarkItem,
  type BenchmarkProfileName,
  benchmarkJsonl,
  benchmarkPairKey,
  benchmarkProfiles,
  captionText,
  corpusExample,
  generateBenchmark,
  oracleAnswer,
  oracleDepicts,
  parseBenchmarkJsonl,
  parseCaption,
  sampleSceneIn,
  sceneItems,
  scenePartition,
  worldContentTypes,
} from "../../src/world/index.ts";
import { sceneArbitrary } from "./arbitraries.ts";

function committedFile(name: BenchmarkProfileName): string {
  return readFileSync(new URL(`../../${benchmarkProfiles[name].path}`, import.meta.url), "utf8");
}
const committed = committedFile("public");
const items = parseBenchmarkJsonl(committed);
const shiftedItems = parseBenchmarkJsonl(committedFile("shifted"));

function partitionOfCaption(caption: string) {
  const scene = parseCaption(caption);
  assert.ok(scene.ok, caption);
  return scenePartition(scene.value);
}

for (const name of Object.keys(benchmarkProfiles) as BenchmarkProfileName[]) {
  const { profile } = benchmarkProfiles[name];
  const fileItems = parseBenchmarkJsonl(committedFile(name));

  describe(`${name} benchmark file`, () => {
    test("equals the generator's output (regenerate with scripts/make-benchmark.ts)", () => {
      assert.equal(benchmarkJsonl(generateBenchmark(profile)), committedFile(name));
    });

    test("has the profile's items per content type and level, unique ids and (scene, question) pairs", () => {
      assert.equal(
        fileItems.length,
        worldContentTypes.length * (profile.easyPerContentType + profile.hardPerContentType),
      );
      for (const contentType of worldContentTypes) {
        const ofType = fileItems.filter((item) => item.content_type === contentType);
        assert.equal(ofType.filter((item) => item.level === "easy").length, profile.easyPerContentType);
        assert.equal(ofType.filter((item) => item.level === "hard").length, profile.hardPerContentType);
      }
      assert.equal(new Set(fileItems.map((item) => item.id)).size, fileItems.length);
      assert.equal(new Set(fileItems.map(benchmarkPairKey)).size, fileItems.length);
    });

    test("every item is labelled right, drawn right, in the benchmark partition and in the step limits", () => {
      for (const item of fileItems) {
        const oracle = oracleAnswer(item.caption, item.question);
        assert.ok(oracle.ok, item.id);
        assert.deepEqual(
          oracle.value,
          { answer: item.answer, level: item.level, steps: item.steps },
          item.id,
        );
        assert.deepEqual(
          oracleDepicts(item.caption, item.svg),
          { ok: true, value: { depicts: true } },
          item.id,
        );
        assert.equal(partitionOfCaption(item.caption), "benchmark", item.id);
        if (item.level === "hard") {
          assert.ok(item.steps >= profile.hardLimits.stepsMin, item.id);
          assert.ok(item.steps <= profile.hardLimits.stepsMax, item.id);
        }
      }
    });
  });
}

describe("shifted benchmark", () => {
  const meanOf = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const hardSteps = (of: readonly BenchmarkItem[]) =>
    meanOf(of.filter((item) => item.level === "hard").map((item) => item.steps));
  const sceneSize = (of: readonly BenchmarkItem[]) =>
    meanOf(of.map((item) => sceneItems(parseCaptionOrFail(item.caption)).length));

  test("repeats no (scene, question) pair of the public file", () => {
    const publicPairs = new Set(items.map(benchmarkPairKey));
    assert.deepEqual(
      shiftedItems.filter((item) => publicPairs.has(benchmarkPairKey(item))),
      [],
    );
  });

  test("asks longer compositions about larger scenes than the public file", () => {
    // Each is a pick of the larger of two draws, so the means must rise clearly, not by noise.
    assert.ok(
      hardSteps(shiftedItems) > hardSteps(items) + 0.5,
      `${hardSteps(shiftedItems)} vs ${hardSteps(items)}`,
    );
    assert.ok(
      sceneSize(shiftedItems) > sceneSize(items) + 0.5,
      `${sceneSize(shiftedItems)} vs ${sceneSize(items)}`,
    );
  });
});

describe("public benchmark file", () => {
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
