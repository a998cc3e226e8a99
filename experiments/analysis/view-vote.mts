// Analysis for docs/learning.md E38 (ANALYSIS ONLY: the benchmark's answers score): can a vote over
// views outvote misreads that a vote over samples cannot? Each item is answered greedily on the
// writer's view and on `views` shifted views (keyed `("view-vote", item id, view)`, up to `jitter`
// canvas units per axis, src/world/scene-view.ts); the majority of the views' greedy answers (the
// loop's `majorityVote`) is paired with the writer's view's greedy answer, by level and, on hard items,
// by step count. It also prints how often a view's answer equals the writer view's, the correlation
// the vote has to beat. With [samples], each view votes with the majority of that many answers sampled
// at T = 1 on it instead of its greedy answer: a vote over views of votes over samples.
//
//   node bin/run-ts.js experiments/analysis/view-vote.mts <checkpoint> <benchmark.jsonl> <jitter> <views> [samples]
import { readFile } from "node:fs/promises";
import { selectBackend } from "../../src/gpu/index.ts";
import {
  evaluateSolver,
  type ItemResult,
  loadSolver,
  SceneImages,
  type SolverItem,
} from "../../src/pretrain/index.ts";
import { type MeanInterval, meanInterval } from "../../src/report/index.ts";
import { answersEquivalent, majorityVote } from "../../src/rewards/index.ts";
import { keyedRandom } from "../../src/rng/index.ts";
import { drawViewShift, parseBenchmarkJsonl, shiftedSceneSvg } from "../../src/world/index.ts";

const [checkpoint, benchmarkPath, jitterText, viewsText, samplesText] = process.argv.slice(2);
if (viewsText === undefined)
  throw new Error("usage: view-vote.mts <checkpoint> <benchmark.jsonl> <jitter> <views> [samples]");
const jitter = Number(jitterText);
const views = Number(viewsText);
const samples = Number(samplesText ?? 0);
await selectBackend();
const { model } = await loadSolver(checkpoint!);
const items = parseBenchmarkJsonl(await readFile(benchmarkPath!, "utf8"));
const images = new SceneImages(model.config.imageSize);
const answersOn = (seed: string, sampled: number, imageOf?: (item: SolverItem) => Uint8Array) =>
  evaluateSolver(model, items, { seed, samples: sampled, ...(imageOf === undefined ? {} : { imageOf }) });
const writer = await answersOn("view-vote", 0);
const perView: ItemResult[][] = [];
for (let view = 0; view < views; view++)
  perView.push(
    await answersOn(`view-vote/${view}`, samples, (item) =>
      images.rgba(shiftedSceneSvg(item.svg, drawViewShift(keyedRandom("view-vote", item.id, view), jitter))),
    ),
  );
/** A view's vote: its greedy answer, or the majority of its sampled answers. */
const viewVote = (result: ItemResult) => (samples === 0 ? result.greedyAnswer : result.majorityAnswer!);
model.dispose();

const points = (interval: MeanInterval) =>
  `${(100 * interval.mean).toFixed(1)} [${(100 * (interval.low ?? Number.NaN)).toFixed(1)}, ${(100 * (interval.high ?? Number.NaN)).toFixed(1)}]`;
const percent = (share: number) => `${(100 * share).toFixed(1)}%`;
const report = (label: string, indices: readonly number[]) => {
  if (indices.length === 0) return;
  const voteRight = indices.map((index) =>
    answersEquivalent(
      majorityVote(perView.map((results) => viewVote(results[index]!))).label,
      items[index]!.answer,
    ),
  );
  const writerRight = indices.map((index) => writer[index]!.greedyCorrect);
  const viewRight =
    indices.reduce(
      (sum, index) => sum + perView.filter((results) => results[index]!.greedyCorrect).length,
      0,
    ) /
    (indices.length * views);
  const sameAsWriter =
    indices.reduce(
      (sum, index) =>
        sum +
        perView.filter((results) => results[index]!.greedyAnswer === writer[index]!.greedyAnswer).length,
      0,
    ) /
    (indices.length * views);
  console.log(
    `${label.padEnd(8)} ${String(indices.length).padStart(3)} items: writer's view ${percent(writerRight.filter(Boolean).length / indices.length)}, one shifted view ${percent(viewRight)}, vote of ${views} views ${percent(voteRight.filter(Boolean).length / indices.length)}; vote minus writer's view ${points(meanInterval(voteRight.map((right, j) => Number(right) - Number(writerRight[j]))))}; a view answers as the writer's view ${percent(sameAsWriter)}`,
  );
};
console.log(
  `${checkpoint} on ${benchmarkPath}: ${views} views within ±${jitter} canvas units, each voting ${samples === 0 ? "its greedy answer" : `the majority of ${samples} answers sampled at T = 1`}`,
);
for (const level of ["easy", "hard"])
  report(
    level,
    items.flatMap((item, index) => (item.level === level ? [index] : [])),
  );
for (const steps of [2, 3, 4, 5, 6])
  report(
    `hard ${steps}`,
    items.flatMap((item, index) => (item.level === "hard" && item.steps === steps ? [index] : [])),
  );
