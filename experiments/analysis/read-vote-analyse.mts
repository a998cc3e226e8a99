// Analysis for docs/learning.md E6, over read-vote-generate.mts's output: does voting each value the
// Solver reads (then computing the answer from the voted reads) beat its greedy answer, where voting
// on final answers does not? The benchmark's answers only score; they never enter a vote.
//
//   node bin/run-ts.js experiments/analysis/read-vote-analyse.mts <generated.json>
//
// Workings are parsed by workings.ts. The vote takes the most common operation sequence, then the most
// common value at each read position among the traces with that sequence, and replays them left to
// right (an inexact `over` gives no answer, as in the world). Selector questions (a colour or shape) have no reads: answer-majority stands.
import { meanInterval } from "../../src/report/index.ts";
import { answersEquivalent, extractFinalAnswer, majorityVote } from "../../src/rewards/index.ts";
import { parseQuestion } from "../../src/world/index.ts";
import { type GeneratedRow, readGenerated } from "./generated.ts";
import { parseWorkings, replayWorkings, type Workings } from "./workings.ts";

function mostCommon<T>(values: readonly T[]): T {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: { value: T; count: number } | null = null;
  for (const [value, count] of counts) if (best === null || count > best.count) best = { value, count };
  if (best === null) throw new Error("a vote over no values");
  return best.value;
}

function formOf(question: string): string {
  const parsed = parseQuestion(question);
  if (!parsed.ok) return "unparsed";
  const kind = parsed.value.kind;
  if (kind === "compare") return "comparison";
  if (kind === "attribute") return "selector";
  return parsed.value.expression.rest.length > 0 ? "arithmetic" : "single term";
}

function readVote(row: GeneratedRow, answerMajority: string): string {
  const traces = row.samples.map(parseWorkings).filter((trace): trace is Workings => trace !== null);
  if (traces.length === 0) return answerMajority;
  const shape = mostCommon(traces.map((trace) => trace.ops.join(" ")));
  const same = traces.filter((trace) => trace.ops.join(" ") === shape);
  const reads = same[0]!.reads.map((_, position) => mostCommon(same.map((trace) => trace.reads[position]!)));
  return replayWorkings(same[0]!.ops, reads) ?? answerMajority;
}

const [input] = process.argv.slice(2);
if (input === undefined) throw new Error("usage: read-vote-analyse.mts <generated.json>");
const rows = await readGenerated(input);
const scored = rows.map((row) => {
  const form = formOf(row.question);
  const vote = majorityVote(row.samples.map(extractFinalAnswer));
  const voted = form === "selector" || form === "unparsed" ? vote.label : readVote(row, vote.label);
  return {
    groups: ["all hard", `steps ${row.steps}`, form, row.contentType],
    greedy: Number(answersEquivalent(extractFinalAnswer(row.greedy), row.answer)),
    majority: Number(vote.validCount > 0 && answersEquivalent(vote.label, row.answer)),
    readVote: Number(answersEquivalent(voted, row.answer)),
  };
});
const signed = (value: number) => `${value >= 0 ? "+" : ""}${(100 * value).toFixed(1)}`;
const interval = (deltas: number[]) => {
  const { mean, low, high } = meanInterval(deltas);
  return `${signed(mean)} [${low === null ? "-" : signed(low)}, ${high === null ? "-" : signed(high)}]`;
};
console.log("group           items  greedy  answer-majority  read-vote  read-vote minus greedy [95%]");
for (const group of [...new Set(scored.flatMap((item) => item.groups))].sort()) {
  const members = scored.filter((item) => item.groups.includes(group));
  const right = (key: "greedy" | "majority" | "readVote") =>
    members.reduce((sum, item) => sum + item[key], 0);
  console.log(
    `${group.padEnd(15)} ${String(members.length).padStart(5)}  ${String(right("greedy")).padStart(6)}  ${String(right("majority")).padStart(15)}  ${String(right("readVote")).padStart(9)}  ${interval(members.map((item) => item.readVote - item.greedy))}`,
  );
}
