// Analysis for docs/learning.md E11: how many of a base's sampled right answers come with workings
// whose own arithmetic is wrong (right by luck)? Over read-vote-generate.mts's output; the benchmark's
// answers only score.
//
//   node bin/run-ts.js experiments/analysis/workings-luck.mts <generated.json>
import { answersEquivalent, extractFinalAnswer } from "../../src/rewards/index.ts";
import { readGenerated } from "./generated.ts";
import { workingsConsistent } from "./workings.ts";

const [path] = process.argv.slice(2);
if (path === undefined) throw new Error("usage: workings-luck.mts <generated.json>");
const counts = { rightConsistent: 0, rightInconsistent: 0, wrongConsistent: 0, wrongInconsistent: 0 };
for (const row of await readGenerated(path)) {
  for (const sample of row.samples) {
    const right = answersEquivalent(extractFinalAnswer(sample), row.answer);
    const consistent = workingsConsistent(sample);
    if (right) counts[consistent ? "rightConsistent" : "rightInconsistent"] += 1;
    else counts[consistent ? "wrongConsistent" : "wrongInconsistent"] += 1;
  }
}
console.log(counts);
