// Analysis for docs/learning.md E8: do a direct-answer base and a step-wise base err independently, so
// that a vote over both kinds of sample beats either greedy answer? Reads two read-vote-generate.mts
// outputs over the same hard items (greedy + k samples each); the benchmark answers only score.
//
//   CKPT=models/base-small.ckpt node bin/run-ts.js experiments/analysis/read-vote-generate.mts small.json
//   node bin/run-ts.js experiments/analysis/read-vote-generate.mts stepwise.json
//   node bin/run-ts.js experiments/analysis/route-ensemble.mts small.json stepwise.json
import { answersEquivalent, extractFinalAnswer, majorityVote } from "../../src/rewards/index.ts";
import { readGenerated } from "./generated.ts";

const [firstPath, secondPath] = process.argv.slice(2);
if (firstPath === undefined || secondPath === undefined)
  throw new Error("usage: route-ensemble.mts <first.json> <second.json>");
const first = await readGenerated(firstPath);
const second = new Map((await readGenerated(secondPath)).map((row) => [row.id, row]));

const right = (answer: string | null, truth: string) => answer !== null && answersEquivalent(answer, truth);
const voteOf = (responses: readonly string[]) => {
  const label = majorityVote(responses.map(extractFinalAnswer)).label;
  return label === "" ? null : label;
};

const counts = { items: 0, firstGreedy: 0, secondGreedy: 0, bothGreedy: 0, eitherGreedy: 0 };
const votes = { first: 0, second: 0, pooled: 0, halfEach: 0 };
for (const row of first) {
  const other = second.get(row.id);
  if (other === undefined) throw new Error(`item ${row.id} is missing from ${secondPath}`);
  const a = right(extractFinalAnswer(row.greedy), row.answer);
  const b = right(extractFinalAnswer(other.greedy), row.answer);
  counts.items += 1;
  counts.firstGreedy += Number(a);
  counts.secondGreedy += Number(b);
  counts.bothGreedy += Number(a && b);
  counts.eitherGreedy += Number(a || b);
  const half = Math.floor(row.samples.length / 2);
  votes.first += Number(right(voteOf(row.samples), row.answer));
  votes.second += Number(right(voteOf(other.samples), row.answer));
  votes.pooled += Number(right(voteOf([...row.samples, ...other.samples]), row.answer));
  votes.halfEach += Number(
    right(voteOf([...row.samples.slice(0, half), ...other.samples.slice(0, half)]), row.answer),
  );
}
const independentBoth = (counts.firstGreedy * counts.secondGreedy) / counts.items;
console.log(
  `greedy right: first ${counts.firstGreedy}, second ${counts.secondGreedy}, both ${counts.bothGreedy} ` +
    `(${independentBoth.toFixed(1)} if independent), either ${counts.eitherGreedy} of ${counts.items}`,
);
console.log(
  `majority right: first ${votes.first}, second ${votes.second}, pooled ${votes.pooled}, ` +
    `half of each ${votes.halfEach}`,
);
