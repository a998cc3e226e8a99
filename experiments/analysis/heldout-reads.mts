// Analysis for docs/learning.md E39 (ANALYSIS ONLY: the corpus's answers score): which single reads a
// base has learned. The public file has 100 easy items, a handful per form; this draws `count` Solver
// examples from the corpus under a seed no pretraining uses (`heldout-e39`), and prints each
// checkpoint's greedy accuracy on the easy ones by content type and form (the question with its colours,
// shapes and numbers abstracted) and on the hard ones (compositions and drills) by step count, then every
// further checkpoint's paired difference from the first on each level.
//
//   node bin/run-ts.js experiments/analysis/heldout-reads.mts <count> <checkpoint> [checkpoint...]
import { deltaText } from "../../src/experiment/index.ts";
import { selectBackend } from "../../src/gpu/index.ts";
import { evaluateSolver, loadSolver } from "../../src/pretrain/index.ts";
import { meanInterval } from "../../src/report/index.ts";
import { colours, shapes } from "../../src/world/index.ts";
import { heldOutSeed, heldOutSolverItems } from "./heldout-items.ts";

const [countText, ...checkpoints] = process.argv.slice(2);
if (countText === undefined || checkpoints.length === 0)
  throw new Error("usage: heldout-reads.mts <count> <checkpoint> [checkpoint...]");

/** "colour position 2" -> "colour position N", "value red" -> "value C", "count purple circle" -> "count C S". */
function formOf(question: string): string {
  const word = (token: string) =>
    /^\d+$/.test(token)
      ? "N"
      : (colours as readonly string[]).includes(token)
        ? "C"
        : (shapes as readonly string[]).includes(token)
          ? "S"
          : token;
  return question.split(" ").map(word).join(" ");
}

const items = heldOutSolverItems(Number(countText)).map((item) => ({
  ...item,
  form:
    item.level === "easy"
      ? `easy ${item.content_type} ${formOf(item.question)}`
      : `hard, ${item.steps} step${item.steps === 1 ? "" : "s"}`,
}));

await selectBackend();
const rights: boolean[][] = [];
for (const checkpoint of checkpoints) {
  const { model } = await loadSolver(checkpoint);
  const results = await evaluateSolver(model, items, { seed: heldOutSeed, samples: 0 });
  model.dispose();
  rights.push(results.map((result) => result.greedyCorrect));
}

const percent = (values: readonly boolean[]) =>
  `${((100 * values.filter(Boolean).length) / values.length).toFixed(1)}%`.padStart(7);
const forms = [...new Set(items.map((item) => item.form))].sort();
const levels = ["easy", "hard"];
/** The indices of the items in a group: a level, or a form. */
const groupIndices = (group: string) =>
  items.flatMap((item, index) =>
    (levels.includes(group) ? item.level : item.form) === group ? [index] : [],
  );
console.log(`${items.length} held-out examples; columns: ${checkpoints.join(" | ")}`);
for (const form of [...levels, ...forms]) {
  const indices = groupIndices(form);
  const cells = rights.map((right) => percent(indices.map((index) => right[index]!)));
  console.log(`${form.padEnd(34)} ${String(indices.length).padStart(4)} ${cells.join(" ")}`);
}
for (let column = 1; column < rights.length; column++) {
  for (const level of levels) {
    const difference = meanInterval(
      groupIndices(level).map((index) => Number(rights[column]![index]) - Number(rights[0]![index])),
    );
    console.log(`${level}: ${checkpoints[column]} minus ${checkpoints[0]}: ${deltaText(difference)} points`);
  }
}
