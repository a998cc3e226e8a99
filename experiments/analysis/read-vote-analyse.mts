// Analysis for docs/learning.md E6, over read-vote-generate.mts's output: does voting each value the
// Solver reads (then computing the answer from the voted reads) beat its greedy answer, where voting
// on final answers does not? The benchmark's answers only score; they never enter a vote.
//
//   node bin/run-ts.js experiments/analysis/read-vote-analyse.mts <generated.json>
//
// Workings grammar (src/world/evaluate.ts): `a (op b result)* [comparator c (op d result)*]`. The vote
// takes the most common operation sequence, then the most common value at each read position among
// the traces with that sequence, and replays them left to right (an inexact `over` gives no answer,
// as in the world). Selector questions (a colour or shape) have no reads: answer-majority stands.
import { meanInterval } from "../../src/report/index.ts";
import { answersEquivalent, extractFinalAnswer, majorityVote } from "../../src/rewards/index.ts";
import { parseNumberWord, parseQuestion } from "../../src/world/index.ts";
import { type GeneratedRow, readGenerated, workingsWords } from "./generated.ts";

interface Trace {
  readonly shape: string;
  readonly ops: readonly string[];
  readonly reads: readonly number[];
}

const operators = new Set(["plus", "minus", "over"]);
const comparators = new Set(["more", "less", "equal"]);

/** The workings of one response as operations (comparator included) and reads; null if they do not parse. */
function parseTrace(response: string): Trace | null {
  const words = workingsWords(response);
  if (words === null) return null;
  const ops: string[] = [];
  const reads: number[] = [];
  let index = 0;
  const nextNumber = () => (index < words.length ? parseNumberWord(words[index++]!) : undefined);
  const side = (): boolean => {
    const first = nextNumber();
    if (first === undefined) return false;
    reads.push(first);
    while (index < words.length && operators.has(words[index]!)) {
      ops.push(words[index++]!);
      const operand = nextNumber();
      if (operand === undefined || nextNumber() === undefined) return false;
      reads.push(operand);
    }
    return true;
  };
  if (!side()) return null;
  if (index < words.length) {
    if (!comparators.has(words[index]!)) return null;
    ops.push(words[index++]!);
    if (!side()) return null;
  }
  return index === words.length ? { shape: ops.join(" "), ops, reads } : null;
}

/** Replays reads and operations left to right; null where an `over` is inexact. */
function replay(ops: readonly string[], reads: readonly number[]): string | null {
  let position = 0;
  let value: number | null = reads[position++]!;
  let left: number | null = null;
  let comparator: string | null = null;
  for (const op of ops) {
    if (comparators.has(op)) {
      left = value;
      comparator = op;
      value = reads[position++]!;
      continue;
    }
    const operand = reads[position++]!;
    if (value === null) return null;
    if (op === "plus") value += operand;
    else if (op === "minus") value -= operand;
    else value = operand !== 0 && value % operand === 0 ? value / operand : null;
  }
  if (value === null || (comparator !== null && left === null)) return null;
  if (comparator === null) return String(value);
  const holds =
    comparator === "more" ? left! > value : comparator === "less" ? left! < value : left === value;
  return holds ? "yes" : "no";
}

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
  const traces = row.samples.map(parseTrace).filter((trace): trace is Trace => trace !== null);
  if (traces.length === 0) return answerMajority;
  const shape = mostCommon(traces.map((trace) => trace.shape));
  const same = traces.filter((trace) => trace.shape === shape);
  const reads = same[0]!.reads.map((_, position) => mostCommon(same.map((trace) => trace.reads[position]!)));
  return replay(same[0]!.ops, reads) ?? answerMajority;
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
