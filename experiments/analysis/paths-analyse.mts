// Analysis for issue 13's `stepwise-paths` base, over read-vote-generate.mts's output: does a Solver
// pretrained on several reading orders sample different reasoning paths at T = 1, and are its errors
// less alike across paths than within one? The benchmark's answers only score; they never enter a vote.
//
//   CKPT=models/base-stepwise-paths.ckpt node bin/run-ts.js experiments/analysis/read-vote-generate.mts p.json
//   node bin/run-ts.js experiments/analysis/paths-analyse.mts p.json
//
// A response's path is its workings with the results left out (reads and operations); its shape is the
// operation sequence alone (comparator included). Paths also differ by misreads; shapes differ only by
// order (`minus plus` against `plus minus`, `less` against `more` for a mirrored comparison) or by a
// structural error, so the per-path comparisons below use shapes, a lower bound on order diversity
// (`a plus b` and `b plus a` share a shape).
import {
  answersEquivalent,
  extractFinalAnswer,
  isWorkingsOperator,
  majorityVote,
  workingsWords,
} from "../../src/rewards/index.ts";
import { readGenerated } from "./generated.ts";

/** The path of a response: its workings without the results of operations (each follows `op operand`). */
function path(response: string): string {
  const words = workingsWords(response);
  if (words === null) return "(no workings)";
  return words.filter((_, index) => !isWorkingsOperator(words[index - 2] ?? "")).join(" ");
}

/** The operation sequence alone: different shapes are certainly different orders. */
function shape(response: string): string {
  return path(response)
    .split(" ")
    .filter((word) => Number.isNaN(Number(word)))
    .join(" ");
}

const [file] = process.argv.slice(2);
if (file === undefined) throw new Error("usage: paths-analyse.mts <generated.json>");
const rows = await readGenerated(file);
const right = (response: string, answer: string) => answersEquivalent(extractFinalAnswer(response), answer);

let greedyRight = 0;
let majorityRight = 0;
let distinctPaths = 0;
let distinctShapes = 0;
const samplesBy = { same: { n: 0, right: 0 }, other: { n: 0, right: 0 } };
// Pairs of wrong samples of one item: how often they give the same wrong answer, by whether they took
// the same shape. Independent slips across paths would agree less often across paths than within one.
const wrongPairs = { samePath: { n: 0, agree: 0 }, otherPath: { n: 0, agree: 0 } };
for (const row of rows) {
  if (right(row.greedy, row.answer)) greedyRight += 1;
  const vote = majorityVote(row.samples.map(extractFinalAnswer));
  if (vote.validCount > 0 && answersEquivalent(vote.label, row.answer)) majorityRight += 1;
  distinctPaths += new Set(row.samples.map(path)).size;
  distinctShapes += new Set(row.samples.map(shape)).size;
  const greedyShape = shape(row.greedy);
  for (const sample of row.samples) {
    const bucket = shape(sample) === greedyShape ? samplesBy.same : samplesBy.other;
    bucket.n += 1;
    if (right(sample, row.answer)) bucket.right += 1;
  }
  const wrong = row.samples.filter((sample) => !right(sample, row.answer));
  for (let i = 0; i < wrong.length; i++) {
    for (let j = i + 1; j < wrong.length; j++) {
      const bucket = shape(wrong[i]!) === shape(wrong[j]!) ? wrongPairs.samePath : wrongPairs.otherPath;
      bucket.n += 1;
      if (answersEquivalent(extractFinalAnswer(wrong[i]!), extractFinalAnswer(wrong[j]!))) bucket.agree += 1;
    }
  }
}
const percent = (part: number, whole: number) =>
  whole === 0 ? "-" : `${((100 * part) / whole).toFixed(1)}%`;
const k = rows[0]?.samples.length ?? 0;
console.log(`${rows.length} hard items, k = ${k}`);
console.log(`greedy right ${greedyRight}, answer-majority right ${majorityRight}`);
console.log(
  `distinct paths per item ${(distinctPaths / rows.length).toFixed(2)}, distinct operation shapes ${(distinctShapes / rows.length).toFixed(2)}`,
);
console.log(
  `samples with greedy's shape ${percent(samplesBy.same.n, samplesBy.same.n + samplesBy.other.n)}: right ${percent(samplesBy.same.right, samplesBy.same.n)}; with another shape right ${percent(samplesBy.other.right, samplesBy.other.n)}`,
);
console.log(
  `wrong pairs agreeing on the wrong answer: same shape ${percent(wrongPairs.samePath.agree, wrongPairs.samePath.n)} of ${wrongPairs.samePath.n}, other shapes ${percent(wrongPairs.otherPath.agree, wrongPairs.otherPath.n)} of ${wrongPairs.otherPath.n}`,
);
