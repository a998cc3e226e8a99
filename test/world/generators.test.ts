// Goal: the seeded generators are deterministic per key, label every question with its true answer,
// respect the requested difficulty, and produce the corpus distribution docs/world.md states.
// Method: regenerate examples by key; re-answer generated questions through the oracle from text
// (caption + question strings only); count levels and content types over a fixed-seed sample with
// tolerances far wider than sampling noise (the sample is fixed, so the test cannot flake).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { responseTokensMax, worldTextCodec } from "../../src/policy/index.ts";
import { classifyCaption, parseProposal } from "../../src/rewards/proposal.ts";
import { keyedRandom } from "../../src/rng/index.ts";
import {
  benchmarkHardLimits,
  type CorpusExample,
  captionText,
  corpusExample,
  defaultCorpusOptions,
  oracleAnswer,
  oracleDepicts,
  pretrainingCorpus,
  questionLevel,
  questionSteps,
  questionText,
  sampleEasyQuestion,
  sampleHardQuestion,
  sampleScene,
  stepwiseComposeCorpusOptions,
  stepwiseLongCorpusOptions,
  worldContentTypes,
} from "../../src/world/index.ts";

function assertOracleAgrees(caption: string, question: string, answer: string): void {
  const oracle = oracleAnswer(caption, question);
  assert.ok(oracle.ok, `${caption} | ${question}: ${oracle.ok ? "" : oracle.error.message}`);
  assert.equal(oracle.value.answer, answer, `${caption} | ${question}`);
}

describe("determinism", () => {
  test("the same key gives the same example; another seed another one", () => {
    for (const role of ["proposer", "coder", "solver"] as const) {
      for (let index = 0; index < 20; index++) {
        assert.deepEqual(corpusExample("seed-a", role, index), corpusExample("seed-a", role, index));
      }
      const differing = Array.from({ length: 20 }, (_, index) => index).filter(
        (index) =>
          JSON.stringify(corpusExample("seed-a", role, index)) !==
          JSON.stringify(corpusExample("seed-b", role, index)),
      );
      assert.ok(differing.length >= 18, `${role}: only ${differing.length} of 20 differ across seeds`);
    }
  });

  test("the corpus interleaves roles round-robin and stops each at its count", () => {
    const examples = [...pretrainingCorpus("seed-a", { proposer: 2, coder: 0, solver: 3 })];
    assert.deepEqual(
      examples.map((example) => `${example.role}${example.index}`),
      ["proposer0", "solver0", "proposer1", "solver1", "solver2"],
    );
    assert.deepEqual(examples[1], corpusExample("seed-a", "solver", 0));
  });
});

describe("labels", () => {
  test("generated questions are answered right, at the requested level", () => {
    for (const contentType of worldContentTypes) {
      for (let index = 0; index < 150; index++) {
        const random = keyedRandom("label-test", contentType, index);
        const scene = sampleScene(random.fork("scene"), contentType);
        const easy = sampleEasyQuestion(random.fork("easy"), scene);
        const hard = sampleHardQuestion(random.fork("hard"), scene, benchmarkHardLimits);
        assert.equal(questionLevel(easy.question), "easy");
        const steps = questionSteps(hard.question);
        assert.ok(
          steps >= benchmarkHardLimits.stepsMin && steps <= benchmarkHardLimits.stepsMax,
          `${steps} steps`,
        );
        const caption = captionText(scene);
        assertOracleAgrees(caption, questionText(easy.question), String(easy.evaluation.answer));
        assertOracleAgrees(caption, questionText(hard.question), String(hard.evaluation.answer));
      }
    }
  });

  test("corpus examples carry true answers, faithful SVGs and release-parsable proposals", () => {
    for (let index = 0; index < 300; index++) {
      const proposer = corpusExample("label-test", "proposer", index);
      const coder = corpusExample("label-test", "coder", index);
      const solver = corpusExample("label-test", "solver", index);
      assert.ok(proposer.role === "proposer" && coder.role === "coder" && solver.role === "solver");
      const { caption, easyQuestion, easyAnswer, hardQuestion, hardAnswer } = proposer.proposal;
      assertOracleAgrees(caption, easyQuestion, easyAnswer);
      assertOracleAgrees(caption, hardQuestion, hardAnswer);
      const parsed = parseProposal(proposer.target);
      assert.ok(parsed.ok);
      assert.deepEqual({ ...parsed.proposal }, { ...proposer.proposal });
      assert.equal(classifyCaption(caption), proposer.contentType, caption);
      assert.deepEqual(oracleDepicts(coder.caption, coder.svg), { ok: true, value: { depicts: true } });
      assert.ok(coder.target.includes(coder.svg));
      assertOracleAgrees(solver.caption, solver.question, solver.answer);
      assert.deepEqual(oracleDepicts(solver.caption, solver.svg), { ok: true, value: { depicts: true } });
    }
  });
});

describe("corpus distribution", () => {
  const count = 2000;
  const solvers = Array.from({ length: count }, (_, index) =>
    corpusExample("distribution-test", "solver", index),
  );
  const proposers = Array.from({ length: 600 }, (_, index) =>
    corpusExample("distribution-test", "proposer", index),
  );

  function share(examples: readonly CorpusExample[], predicate: (example: CorpusExample) => boolean): number {
    return examples.filter(predicate).length / examples.length;
  }

  test("Solver examples: about 10% hard, each content type about a quarter", () => {
    const hard = share(solvers, (example) => example.role === "solver" && example.level === "hard");
    assert.ok(Math.abs(hard - defaultCorpusOptions.solverHardFraction) < 0.025, `hard share ${hard}`);
    for (const contentType of worldContentTypes) {
      const typeShare = share(solvers, (example) => example.contentType === contentType);
      assert.ok(Math.abs(typeShare - 0.25) < 0.04, `${contentType} share ${typeShare}`);
    }
    const stepsMax = Math.max(...solvers.map((example) => (example.role === "solver" ? example.steps : 0)));
    assert.ok(stepsMax <= defaultCorpusOptions.hardLimits.stepsMax, `steps up to ${stepsMax}`);
  });

  test("the stepwise-compose corpus: every proposal's hard slot is a composition within the Proposer's budget, the Solver's examples are stepwise-long's", () => {
    const codec = worldTextCodec();
    for (let index = 0; index < 400; index++) {
      const example = corpusExample("compose-test", "proposer", index, stepwiseComposeCorpusOptions);
      assert.ok(example.role === "proposer");
      const oracle = oracleAnswer(example.proposal.caption, example.proposal.hardQuestion);
      assert.ok(oracle.ok && oracle.value.level === "hard", example.proposal.hardQuestion);
      assert.ok(codec.responseTokens(example.target).length <= responseTokensMax.proposer, example.target);
      assert.deepEqual(
        corpusExample("compose-test", "solver", index, stepwiseComposeCorpusOptions),
        corpusExample("compose-test", "solver", index, stepwiseLongCorpusOptions),
      );
    }
  });

  test("Proposer examples: the hard slot holds a composition about 40% of the time", () => {
    const composed = share(proposers, (example) => {
      if (example.role !== "proposer") return false;
      const oracle = oracleAnswer(example.proposal.caption, example.proposal.hardQuestion);
      return oracle.ok && oracle.value.level === "hard";
    });
    assert.ok(
      Math.abs(composed - defaultCorpusOptions.proposalHardFraction) < 0.06,
      `composed share ${composed}`,
    );
  });
});
