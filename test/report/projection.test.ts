// Goal: the report's fold joins samples correctly (proposal -> code -> render -> votes -> dataset
// item), attributes them to the right unit (GRPO step or dataset building), asks the oracle only
// for analysis, shows a live view (events applied as they come) what a whole fold shows, and gives
// monotone funnels.
// Method: hand-built event sequences decoded through the catalog (synthetic-events.ts); fast-check
// builds dataset-shaped sequences for the funnel law.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { PayloadOf } from "../../src/events/index.ts";
import {
  applyReportEvent,
  emptyReportState,
  foldReport,
  foldReportEvents,
  gallerySamples,
  reportMetrics,
  stageOfSampleKey,
} from "../../src/report/index.ts";
import { parseCaption, sceneSvg } from "../../src/world/index.ts";
import { answers, code, EventScript, proposal, rendered, renderFailed } from "./synthetic-events.ts";

const seed = 20260109;
const caption = "bar chart red 5 blue 3 green 7";

function chartSvg(text: string): string {
  const scene = parseCaption(text);
  assert.ok(scene.ok);
  return `\`\`\`svg\n${sceneSvg(scene.value)}\n\`\`\``;
}

const chartProposal: PayloadOf<"ProposalSampled">["proposal"] = {
  contentType: "data_chart",
  caption,
  easyQuestion: "value red",
  easyAnswer: "5",
  hardQuestion: "value red plus value blue",
  hardAnswer: "9",
};

/** One Solver-dataset proposal with two codes (one renders and is judged, one fails) and a dataset. */
function datasetScript(pseudoLabel: string) {
  const script = new EventScript();
  const position = { iteration: 1, phase: "solver" as const, step: 0 };
  const proposed = proposal(script, position, "i1/solver/dataset/p0/r0", chartProposal, "dataset");
  const good = code(
    script,
    position,
    "i1/solver/dataset/p0/r0/code",
    proposed.id,
    chartSvg(caption),
    "dataset",
  );
  const bad = code(
    script,
    position,
    "i1/solver/dataset/p0/r0/code2",
    proposed.id,
    "<b>no svg</b>",
    "dataset",
  );
  const image = rendered(script, good);
  renderFailed(script, bad, "no SVG <found>");
  answers(script, position, good, image, "easy", ["5", "5", "5", "3"]);
  answers(script, position, good, image, "hard", ["8", "8", "7", "None"]);
  script.add("DatasetBuilt", "i1/solver/dataset", {
    iteration: 1,
    phase: "solver",
    funnel: { proposals: 1, rendered: 1, evaluated: 1, kept: 1 },
    items: [
      {
        imageId: image.id,
        question: "value red plus value blue",
        pseudoLabel,
        easyConsistency: 0.75,
        hardConsistency: 2 / 3,
      },
    ],
    promptIds: [],
  });
  return { script, proposed, good, bad, image };
}

test("samples are joined: render outcome, votes, dataset label and the oracle's verdicts", async () => {
  const { script, good, bad } = datasetScript("8");
  const state = await foldReportEvents(
    (async function* () {
      yield* script.events;
    })(),
  );
  const unit = state.units["1/solver/dataset/0"];
  assert.ok(unit !== undefined, "the dataset samples form the dataset unit");
  assert.equal(unit.metrics.proposals, 1);
  assert.equal(unit.metrics.codes, 2);
  assert.equal(unit.metrics.rendered, 1);
  assert.deepEqual(unit.metrics.renderFailures, { NoCode: 1 });
  assert.deepEqual(unit.metrics.easyConsistency, { count: 1, sum: 0.75 });
  assert.deepEqual(unit.metrics.oracle, {
    depictsChecked: 1,
    depicts: 1,
    easyAnswerChecked: 1,
    easyAnswerCorrect: 1,
    hardAnswerChecked: 1,
    hardAnswerCorrect: 0,
  });
  const samples = gallerySamples(state);
  const goodSample = samples.find((sample) => sample.id === good.id)!;
  assert.equal(goodSample.outcome, "rendered");
  assert.deepEqual(goodSample.votes.hard?.answers, ["8", "8", "7", "None"]);
  assert.equal(goodSample.votes.hard?.label, "8");
  assert.equal(goodSample.datasetItem?.pseudoLabel, "8");
  assert.deepEqual(goodSample.datasetItem?.verdict, { verdict: "correct", truth: "8" });
  assert.deepEqual(goodSample.depiction, { verdict: "depicts" });
  assert.deepEqual(goodSample.proposerAnswers.hard, { verdict: "wrong", truth: "8" });
  const badSample = samples.find((sample) => sample.id === bad.id)!;
  assert.equal(badSample.outcome, "render-failed");
  assert.deepEqual(badSample.failure, { kind: "NoCode", message: "no SVG <found>" });
  const metrics = reportMetrics(state);
  assert.deepEqual(metrics.datasets[0]?.funnel, {
    proposals: 1,
    valid: 1,
    rendered: 1,
    kept: 1,
    evaluated: 1,
  });
  assert.equal(metrics.datasets[0]?.pseudoLabelAccuracy?.estimate, 1);
});

test("a wrong pseudo-label counts as wrong, and a caption outside the grammar as not checkable", async () => {
  const wrong = foldReport(datasetScript("7").script.events);
  assert.equal(reportMetrics(wrong).datasets[0]?.pseudoLabelAccuracy?.estimate, 0);
  const script = new EventScript();
  const position = { iteration: 1, phase: "proposer" as const, step: 0 };
  const proposed = proposal(script, position, "i1/proposer/s0/p0/r0", {
    ...chartProposal,
    caption: "a nice chart",
  });
  rendered(script, code(script, position, "i1/proposer/s0/p0/r0/code0", proposed.id, chartSvg(caption)));
  const state = foldReport(script.events);
  const metrics = state.units["1/proposer/step/0"]!.metrics;
  assert.equal(metrics.oracle.depictsChecked, 0, "no caption to compare with");
  assert.equal(metrics.oracle.easyAnswerChecked, 0);
  assert.equal(gallerySamples(state)[0]?.depiction?.verdict, "unknown");
});

test("a live view applying events as they come shows what a fold of the whole log shows", () => {
  const { script } = datasetScript("8");
  const whole = foldReport(script.events);
  let live = emptyReportState();
  for (const [position, recorded] of script.events.entries()) {
    live = applyReportEvent(live, recorded);
    // What the page shows so far is what a fold of the log so far shows.
    const sofar = foldReport(script.events.slice(0, position + 1));
    assert.deepEqual(reportMetrics(live), reportMetrics(sofar), `after ${recorded.event.type}`);
    assert.deepEqual(gallerySamples(live), gallerySamples(sofar), `after ${recorded.event.type}`);
  }
  assert.deepEqual(reportMetrics(live), reportMetrics(whole));
  assert.equal(live.run.eventCount, script.events.length);
  assert.equal(live.run.chainHead, script.events.at(-1)!.chainHash);
  // Each fold starts from its own state: folding one log leaves a fresh state empty.
  assert.deepEqual(gallerySamples(emptyReportState()), []);
});

test("logical keys tell GRPO-step samples from dataset samples", () => {
  assert.equal(stageOfSampleKey("i1/proposer/s0/p0/r1"), "step");
  assert.equal(stageOfSampleKey("i2/coder/s12/p0/r1/easy"), "step");
  assert.equal(stageOfSampleKey("i1/coder/candidates/p3/r0/filter1"), "dataset");
  assert.equal(stageOfSampleKey("i1/solver/dataset/p0/r0/code"), "dataset");
});

test("dataset funnels are monotone: proposals >= format-valid >= rendered >= kept", () => {
  const proposalOutcome = fc.record({
    valid: fc.boolean(),
    renders: fc.array(fc.boolean(), { maxLength: 3 }),
    keep: fc.boolean(),
  });
  fc.assert(
    fc.property(
      fc.array(proposalOutcome, { maxLength: 8 }),
      fc.nat({ max: 3 }),
      (outcomes, stepProposals) => {
        const script = new EventScript();
        const position = { iteration: 1, phase: "solver" as const, step: 0 };
        // Step samples of the same iteration and phase must not leak into the dataset's counts.
        for (let index = 0; index < stepProposals; index++)
          proposal(script, position, `i1/solver/s0/x${index}`, chartProposal);
        let renderedCount = 0;
        let keptCount = 0;
        outcomes.forEach((outcome, index) => {
          const key = `i1/solver/dataset/p${index}/r0`;
          const proposed = proposal(script, position, key, outcome.valid ? chartProposal : null, "dataset");
          if (!outcome.valid) return;
          let anyRendered = false;
          outcome.renders.forEach((renders, codeIndex) => {
            const sampled = code(script, position, `${key}/code${codeIndex}`, proposed.id, "x", "dataset");
            if (renders) rendered(script, sampled);
            else renderFailed(script, sampled);
            anyRendered ||= renders;
          });
          if (anyRendered) renderedCount += 1;
          if (anyRendered && outcome.keep) keptCount += 1;
        });
        script.add("DatasetBuilt", "i1/solver/dataset", {
          iteration: 1,
          phase: "solver",
          funnel: {
            proposals: outcomes.length,
            rendered: renderedCount,
            evaluated: renderedCount,
            kept: keptCount,
          },
          items: [],
          promptIds: [],
        });
        const funnel = reportMetrics(foldReport(script.events)).datasets[0]!.funnel;
        assert.equal(funnel.valid, outcomes.filter((outcome) => outcome.valid).length);
        assert.ok(
          funnel.proposals >= funnel.valid &&
            funnel.valid >= funnel.rendered &&
            funnel.rendered >= funnel.kept,
          JSON.stringify(funnel),
        );
      },
    ),
    { seed },
  );
});
