// Analysis for docs/learning.md E39c (ANALYSIS ONLY: the corpus's answers score): does the vote lead
// greedy on hard items whose terms are single reads, where the workings make every token one atomic
// step, as opposed to items holding a count or an aggregate term (perceived in one token)? Held-out
// corpus hard items of 2 or more steps (heldout-items.ts); each item's majority right averaged over 5
// independent votes of 10 answers at temperature T, minus its greedy verdict, paired on items.
//
//   node bin/run-ts.js experiments/analysis/heldout-vote.mts <checkpoint> <count> [temperature=1]
import { deltaText } from "../../src/experiment/index.ts";
import { selectBackend } from "../../src/gpu/index.ts";
import { evaluateSolver, loadSolver } from "../../src/pretrain/index.ts";
import { meanInterval } from "../../src/report/index.ts";
import { heldOutSeed, heldOutSolverItems } from "./heldout-items.ts";

const [checkpoint, countText, temperatureText = "1"] = process.argv.slice(2);
if (checkpoint === undefined || countText === undefined)
  throw new Error("usage: heldout-vote.mts <checkpoint> <count> [temperature]");
const draws = 5;
const samples = 10;
const aggregateTerm = /\b(count|total|max|min|above|below|most|fewest)\b/;
const items = heldOutSolverItems(Number(countText)).filter(
  (item) => item.level === "hard" && item.steps >= 2,
);

await selectBackend();
const { model } = await loadSolver(checkpoint);
const greedy = await evaluateSolver(model, items, { seed: heldOutSeed, samples: 0 });
const voteRight = items.map(() => 0);
for (let draw = 0; draw < draws; draw++) {
  const votes = await evaluateSolver(model, items, {
    seed: heldOutSeed,
    samples,
    firstSample: draw * samples,
    temperature: Number(temperatureText),
  });
  votes.forEach((result, index) => {
    voteRight[index]! += Number(result.majorityCorrect) / draws;
  });
}
model.dispose();

const groups: Record<string, (question: string) => boolean> = {
  "single-read terms": (question) => !aggregateTerm.test(question),
  "count or aggregate terms": (question) => aggregateTerm.test(question),
  all: () => true,
};
console.log(`${checkpoint}: held-out hard items, ${draws} votes of ${samples} at T = ${temperatureText}`);
for (const [label, member] of Object.entries(groups)) {
  const indices = items.flatMap((item, index) => (member(item.question) ? [index] : []));
  const lead = meanInterval(indices.map((index) => voteRight[index]! - Number(greedy[index]!.greedyCorrect)));
  const greedyShare = indices.filter((index) => greedy[index]!.greedyCorrect).length / indices.length;
  console.log(
    `${label.padEnd(25)} ${String(indices.length).padStart(4)} items: greedy ${(100 * greedyShare).toFixed(1)}%, vote minus greedy ${deltaText(lead)}`,
  );
}
