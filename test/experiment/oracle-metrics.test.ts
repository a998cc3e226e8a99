// Goal: the experiment's oracle figures count what they say: captions in the grammar over every
// sampled proposal (format-invalid ones outside), the voting Solver's single votes against the
// oracle's truth on the dataset items, the greedy figure passed in, and the dataset probes carry the
// loop's pixels and the truth of exactly the items whose pseudo-label the oracle could check.
// Method: a hand-built Solver-phase event sequence (test/report/synthetic-events.ts) with known truths.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { PayloadOf } from "../../src/events/index.ts";
import { runOracle, withDatasetGreedy } from "../../src/experiment/oracle-metrics.ts";
import { datasetCollector, tapEvents } from "../../src/experiment/solver-dataset.ts";
import { foldReportEvents } from "../../src/report/index.ts";
import { parseCaption, sceneSvg } from "../../src/world/index.ts";
import { answers, code, EventScript, proposal, rendered } from "../report/synthetic-events.ts";

const caption = "bar chart red 5 blue 3 green 7";
const inGrammar: NonNullable<PayloadOf<"ProposalSampled">["proposal"]> = {
  contentType: "data_chart",
  caption,
  easyQuestion: "value red",
  easyAnswer: "5",
  hardQuestion: "value red plus value blue",
  hardAnswer: "9",
};

function svgOf(text: string): string {
  const scene = parseCaption(text);
  assert.ok(scene.ok);
  return sceneSvg(scene.value);
}

function script() {
  const events = new EventScript();
  const position = { iteration: 1, phase: "solver" as const, step: 0 };
  const good = proposal(events, position, "i1/solver/dataset/p0", inGrammar, "dataset");
  proposal(
    events,
    position,
    "i1/solver/dataset/p1",
    { ...inGrammar, caption: "a purple elephant" },
    "dataset",
  );
  proposal(events, position, "i1/solver/dataset/p2", null, "dataset");
  const drawn = code(events, position, "i1/solver/dataset/p0/code", good.id, svgOf(caption), "dataset");
  const image = rendered(events, drawn);
  answers(events, position, drawn, image, "easy", ["5", "5", "5", "5"]);
  // The truth of "value red plus value blue" is 8: two of four votes are right.
  answers(events, position, drawn, image, "hard", ["8", "8", "7", "9"]);
  events.add("DatasetBuilt", "i1/solver/dataset", {
    iteration: 1,
    phase: "solver",
    funnel: { proposals: 3, rendered: 1, evaluated: 1, kept: 1 },
    items: [
      {
        imageId: image.id,
        question: inGrammar.hardQuestion,
        pseudoLabel: "8",
        easyConsistency: 1,
        hardConsistency: 0.5,
      },
    ],
    promptIds: [],
  });
  return { events: events.events, image };
}

test("captions in the grammar, single votes and greedy answers on the dataset items, by hand", async () => {
  const { events, image } = script();
  const collector = datasetCollector();
  const state = await foldReportEvents(
    tapEvents(
      (async function* () {
        yield* events;
      })(),
      collector.observe,
    ),
  );
  const [iteration] = withDatasetGreedy(runOracle(state), new Map([[1, { correct: 0, total: 1 }]]));
  assert.equal(iteration!.iteration, 1);
  const solver = iteration!.phases.find((phase) => phase.phase === "solver")!;
  assert.equal(solver.proposals, 3);
  assert.deepEqual([solver.captionsInGrammar?.successes, solver.captionsInGrammar?.total], [1, 3]);
  assert.deepEqual([solver.captionFidelity?.successes, solver.captionFidelity?.total], [1, 1]);
  assert.equal(solver.renderRate, 1);
  const dataset = iteration!.solverDataset!;
  assert.deepEqual([dataset.pseudoLabelAccuracy?.successes, dataset.pseudoLabelAccuracy?.total], [1, 1]);
  assert.deepEqual([dataset.voteAccuracy?.successes, dataset.voteAccuracy?.total], [2, 4]);
  assert.deepEqual([dataset.greedyAccuracy?.successes, dataset.greedyAccuracy?.total], [0, 1]);

  assert.deepEqual(collector.probes(state), [
    {
      iteration: 1,
      imageId: image.id,
      pixelHash: image.payload.pixelHash,
      question: inGrammar.hardQuestion,
      level: "hard",
      pseudoLabel: "8",
      truth: "8",
    },
  ]);
  // Without a greedy evaluation the figure is absent, not zero.
  assert.equal(runOracle(state)[0]!.solverDataset!.greedyAccuracy, null);
});
