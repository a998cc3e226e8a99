// Goal: every text the three roles read or write is a concatenation of vocabulary entries, greedy
// longest-match recovers exactly the generators' own tokens (so a generic tokenizer sees what the
// generators meant), and sequences stay within the token budgets of docs/world.md.
// Method: a small reference greedy tokenizer; fast-check over arbitrary scenes and question ASTs;
// a seeded corpus sample for the budgets; proposals rebuilt from release-parsed (space-stripped) fields.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { parseProposal } from "../../src/rewards/proposal.ts";
import {
  captionTokens,
  coderAnswerTokens,
  corpusExample,
  evaluateQuestion,
  parseCaption,
  parseQuestion,
  proposalTokens,
  proposerPromptTokens,
  questionTokens,
  type Scene,
  sceneSvgTokens,
  solverAnswerTokens,
  solverPromptTokens,
  topics,
  worldVocabulary,
} from "../../src/world/index.ts";
import { greedyTokenize, questionArbitrary, sceneArbitrary } from "./arbitraries.ts";

const vocabulary = worldVocabulary();

function assertTokenizes(tokens: readonly string[]): void {
  const text = tokens.join("");
  assert.deepEqual(greedyTokenize(text, vocabulary), tokens, JSON.stringify(text));
}

function sceneOf(caption: string): Scene {
  const parsed = parseCaption(caption);
  assert.ok(parsed.ok, caption);
  return parsed.value;
}

const sampleSize = 400;

describe("vocabulary", () => {
  test("is a few hundred unique, non-empty entries, stable across calls", () => {
    assert.equal(new Set(vocabulary).size, vocabulary.length);
    assert.ok(vocabulary.length >= 200 && vocabulary.length <= 400, `${vocabulary.length} entries`);
    assert.ok(vocabulary.every((entry) => entry.length > 0));
    assert.equal(worldVocabulary(), vocabulary);
    assert.ok(Object.isFrozen(vocabulary));
  });

  test("captions, SVGs and Coder answers of arbitrary scenes tokenize to their own tokens", () => {
    fc.assert(
      fc.property(sceneArbitrary, (scene) => {
        assertTokenizes(captionTokens(scene));
        assertTokenizes(sceneSvgTokens(scene));
        assertTokenizes(coderAnswerTokens(scene));
      }),
      { seed: 31, numRuns: 300 },
    );
  });

  test("questions within the grammar tokenize to their own tokens", () => {
    fc.assert(
      fc.property(questionArbitrary, (question) => {
        const tokens = questionTokens(question);
        if (parseQuestion(tokens.join("")).ok) assertTokenizes(tokens);
      }),
      { seed: 32, numRuns: 500 },
    );
  });

  test("every corpus prompt and target tokenizes to the generators' tokens", () => {
    for (const topic of topics) assertTokenizes(proposerPromptTokens(topic));
    for (let index = 0; index < sampleSize; index++) {
      const proposer = corpusExample("vocabulary-test", "proposer", index);
      assert.equal(proposer.role, "proposer");
      if (proposer.role === "proposer") assertTokenizes(proposalTokens(proposer.proposal));
      const coder = corpusExample("vocabulary-test", "coder", index);
      if (coder.role === "coder") {
        assertTokenizes(coderAnswerTokens(sceneOf(coder.caption)));
        assertTokenizes(proposalTokens(coder.proposal));
        assert.equal(proposalTokens(coder.proposal).join(""), coder.prompt);
      }
      const solver = corpusExample("vocabulary-test", "solver", index);
      if (solver.role === "solver") {
        const question = parseQuestion(solver.question);
        assert.ok(question.ok);
        const evaluation = evaluateQuestion(sceneOf(solver.caption), question.value);
        assert.ok(evaluation.ok);
        assertTokenizes(solverAnswerTokens(evaluation.value));
        assert.equal(solverAnswerTokens(evaluation.value).join(""), solver.target);
        assertTokenizes(solverPromptTokens(solver.question));
        assert.equal(solverPromptTokens(solver.question).join(""), solver.prompt);
      }
    }
  });

  test("a proposal rebuilt from release-parsed fields tokenizes like the original", () => {
    for (let index = 0; index < 100; index++) {
      const example = corpusExample("vocabulary-test", "proposer", index);
      const parsed = parseProposal(example.target);
      assert.ok(parsed.ok);
      const rebuilt = proposalTokens({ ...parsed.proposal });
      assert.equal(rebuilt.join(""), example.target);
      assertTokenizes(rebuilt);
    }
  });

  test("sequences stay within budget: proposal <= 48, fenced SVG <= 64, Solver answer <= 12 tokens", () => {
    let proposalMax = 0;
    let svgMax = 0;
    let solverMax = 0;
    for (let index = 0; index < sampleSize; index++) {
      const proposer = corpusExample("budget-test", "proposer", index);
      if (proposer.role === "proposer")
        proposalMax = Math.max(proposalMax, proposalTokens(proposer.proposal).length);
      const solver = corpusExample("budget-test", "solver", index);
      solverMax = Math.max(solverMax, greedyTokenize(solver.target, vocabulary)?.length ?? Infinity);
    }
    fc.assert(
      fc.property(sceneArbitrary, (scene) => {
        svgMax = Math.max(svgMax, coderAnswerTokens(scene).length);
      }),
      { seed: 33, numRuns: 500 },
    );
    assert.ok(proposalMax <= 48, `proposal ${proposalMax} tokens`);
    assert.ok(svgMax <= 64, `SVG ${svgMax} tokens`);
    assert.ok(solverMax <= 12, `Solver answer ${solverMax} tokens`);
  });
});
