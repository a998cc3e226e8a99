/**
 * Proposer batch scoring (judge measures + content-type spread + BLEU clustering over caption, easy
 * question and hard question) for batch sizes 64, 256 and 1024, against baselines measured in the
 * same run: the three BLEU distance matrices alone, the per-proposal judge scoring alone (no batch
 * terms), and, for the smaller sizes, a naive distance matrix that calls sentenceBleu per pair.
 * Prints medians of several runs (CPU milliseconds), ratios, and the growth factor from one size to
 * the next (4x the proposals means 16x the pairs).
 *
 *   node bin/run-ts.js bench/rewards.ts [--repeats N]
 *
 * Proposal texts are 10-25 whitespace tokens from caption and question templates; about a third of
 * each batch are near-copies of an earlier proposal (one or two tokens changed), as rollouts of the
 * same prompt are. Untimed warm-up runs (up to 10, or 1 s of CPU) come before each measurement.
 */
import {
  bleuDistanceMatrix,
  type DistanceMatrix,
  type JudgeResult,
  judgeImage,
  type Proposal,
  type ProposerOutcome,
  resolveRewardConfig,
  scoreProposerBatch,
  sentenceBleu,
} from "../src/rewards/index.ts";
import { type KeyedRandom, keyedRandom } from "../src/rng/index.ts";
import { option } from "./common.ts";

const config = resolveRewardConfig("release");
const bleuOptions = { maxOrder: 4, smoothingEpsilon: 0.1 };
const batchSizes = [64, 256, 1024] as const;
const naiveSizesMax = 256;

const repeats = option("repeats", 5);
const warmUpRunsMax = 10;
const warmUpCpuMs = 1000;

const vocabulary = {
  chart: [
    "bar chart",
    "line chart",
    "pie chart",
    "scatter plot",
    "histogram",
    "table",
    "timeline",
    "flowchart",
  ],
  subject: [
    "fruit sales",
    "rainfall",
    "test scores",
    "ticket prices",
    "population",
    "energy use",
    "votes",
    "traffic",
  ],
  colour: ["red", "blue", "green", "orange", "purple", "yellow", "grey", "teal"],
  place: ["north", "south", "east", "west", "centre", "harbour", "valley", "airport"],
  year: ["2019", "2020", "2021", "2022", "2023"],
  shape: ["triangle", "square", "circle", "hexagon", "star", "arrow"],
};

function pick<Item>(random: KeyedRandom, items: readonly Item[]): Item {
  return items[random.nextInt(items.length)]!;
}

type Template = (random: KeyedRandom, count: number) => string;
const captionTemplates: readonly Template[] = [
  (r, n) =>
    `a ${pick(r, vocabulary.chart)} of ${pick(r, vocabulary.subject)} in the ${pick(r, vocabulary.place)} for ${pick(r, vocabulary.year)} with ${n} ${pick(r, vocabulary.colour)} series`,
  (r, n) =>
    `${n} ${pick(r, vocabulary.colour)} ${pick(r, vocabulary.shape)}s and one ${pick(r, vocabulary.colour)} ${pick(r, vocabulary.shape)} arranged in a row on a white background`,
  (r, n) =>
    `timeline from ${pick(r, vocabulary.year)} to ${pick(r, vocabulary.year)} marking ${n} events near the ${pick(r, vocabulary.place)} drawn as ${pick(r, vocabulary.colour)} dots`,
  (r, n) =>
    `grid of ${n} by ${n + 1} cells where ${pick(r, vocabulary.colour)} cells show high ${pick(r, vocabulary.subject)} and ${pick(r, vocabulary.colour)} cells show low values`,
  (r, n) =>
    `flowchart with ${n} boxes linked by ${pick(r, vocabulary.colour)} arrows describing how ${pick(r, vocabulary.subject)} reach the ${pick(r, vocabulary.place)}`,
];
const easyTemplates: readonly Template[] = [
  (r) => `how many ${pick(r, vocabulary.colour)} ${pick(r, vocabulary.shape)}s are there ?`,
  (r) => `what colour is the ${pick(r, vocabulary.shape)} nearest the ${pick(r, vocabulary.place)} edge ?`,
  (r) => `how many series does the ${pick(r, vocabulary.chart)} show ?`,
  (r) => `which year is marked first on the axis of the ${pick(r, vocabulary.chart)} ?`,
];
const hardTemplates: readonly Template[] = [
  (r) =>
    `what is the difference between the largest and smallest ${pick(r, vocabulary.subject)} value in ${pick(r, vocabulary.year)} ?`,
  (r) =>
    `how many more ${pick(r, vocabulary.colour)} cells than ${pick(r, vocabulary.colour)} cells are in the grid ?`,
  (r) => `which box is reached after two steps from the ${pick(r, vocabulary.colour)} start box ?`,
  (r) =>
    `by how much does ${pick(r, vocabulary.subject)} change between ${pick(r, vocabulary.year)} and ${pick(r, vocabulary.year)} ?`,
];

function freshProposal(random: KeyedRandom): Proposal {
  const count = 2 + random.nextInt(7);
  return {
    contentType: "other",
    caption: pick(random, captionTemplates)(random, count),
    easyQuestion: pick(random, easyTemplates)(random, count),
    easyAnswer: String(count),
    hardQuestion: pick(random, hardTemplates)(random, count),
    hardAnswer: String(random.nextInt(50)),
  };
}

/** One or two tokens of each field replaced: a rollout of the same prompt. */
function nearCopy(random: KeyedRandom, proposal: Proposal): Proposal {
  const mutate = (text: string) => {
    const tokens = text.split(" ");
    for (let change = 0; change <= random.nextInt(2); change += 1) {
      tokens[random.nextInt(tokens.length)] = pick(random, vocabulary.colour);
    }
    return tokens.join(" ");
  };
  return {
    ...proposal,
    caption: mutate(proposal.caption),
    easyQuestion: mutate(proposal.easyQuestion),
    hardQuestion: mutate(proposal.hardQuestion),
  };
}

function judge(random: KeyedRandom, proposal: Proposal): JudgeResult {
  if (random.nextUniform() < 0.3) return { kind: "render-failed" };
  const answers = (label: string) =>
    Array.from({ length: 5 }, () => (random.nextUniform() < 0.6 ? label : String(random.nextInt(9))));
  return {
    kind: "judged",
    easyAnswers: answers(proposal.easyAnswer),
    hardAnswers: answers(proposal.hardAnswer),
  };
}

function makeBatch(size: number): ProposerOutcome[] {
  const random = keyedRandom("bench", "rewards", size);
  const proposals: Proposal[] = [];
  return Array.from({ length: size }, (): ProposerOutcome => {
    if (random.nextUniform() < 0.1) return { kind: "unparsable" };
    const copy = proposals.length > 0 && random.nextUniform() < 0.35;
    const proposal = copy
      ? nearCopy(random, proposals[random.nextInt(proposals.length)]!)
      : freshProposal(random);
    proposals.push(proposal);
    return { kind: "parsed", proposal, judges: Array.from({ length: 4 }, () => judge(random, proposal)) };
  });
}

function validProposals(batch: readonly ProposerOutcome[]): Proposal[] {
  return batch.flatMap((outcome) => (outcome.kind === "parsed" ? [outcome.proposal] : []));
}

const fields = ["caption", "easyQuestion", "hardQuestion"] as const;

function distanceMatrices(batch: readonly ProposerOutcome[]): DistanceMatrix[] {
  const proposals = validProposals(batch);
  return fields.map((field) =>
    bleuDistanceMatrix(
      proposals.map((proposal) => proposal[field]),
      bleuOptions,
    ),
  );
}

function naiveDistanceMatrices(batch: readonly ProposerOutcome[]): number {
  const proposals = validProposals(batch);
  let checksum = 0;
  for (const field of fields) {
    for (let i = 0; i < proposals.length; i += 1) {
      for (let j = i + 1; j < proposals.length; j += 1) {
        checksum += 1 - sentenceBleu(proposals[j]![field], proposals[i]![field], bleuOptions);
      }
    }
  }
  return checksum;
}

function perProposalScoring(batch: readonly ProposerOutcome[]): number {
  let checksum = 0;
  for (const outcome of batch) {
    if (outcome.kind === "unparsable") continue;
    for (const result of outcome.judges) {
      if (result.kind === "render-failed") continue;
      const judgement = judgeImage(result.easyAnswers, result.hardAnswers, outcome.proposal.easyAnswer, {
        samplesPerImage: 5,
        difficultyShape: "min",
      });
      checksum += Math.min(judgement.solvability, 0.5) + judgement.difficulty;
    }
  }
  return checksum;
}

/**
 * Median CPU time (user + system of this single-threaded process) of `runs` runs after a warm-up.
 * CPU time rather than wall time: the machine is shared, and waiting for a core is not our cost.
 */
function medianMs(work: () => unknown, runs: number): number {
  // Warm-up: the JIT needs several calls before the scoring code runs at full speed.
  const warmUpStart = process.cpuUsage();
  for (let warmUp = 0; warmUp < warmUpRunsMax; warmUp += 1) {
    work();
    const spent = process.cpuUsage(warmUpStart);
    if ((spent.user + spent.system) / 1000 > warmUpCpuMs) break;
  }
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const start = process.cpuUsage();
    work();
    const elapsed = process.cpuUsage(start);
    times.push((elapsed.user + elapsed.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function format(ms: number): string {
  return ms < 10 ? ms.toFixed(2) : ms.toFixed(1);
}

const rows: { size: number; full: number; matrices: number; perProposal: number; naive: number | null }[] =
  [];
for (const size of batchSizes) {
  const batch = makeBatch(size);
  const runs = size >= 1024 ? Math.max(3, Math.ceil(repeats / 2)) : repeats;
  const rewards = scoreProposerBatch(batch, config);
  const clustered = rewards.filter((reward) => reward.kind === "scored" && reward.diversity < 0).length;
  process.stdout.write(
    `batch ${size}: ${validProposals(batch).length} valid, ${clustered} with a diversity penalty (a cluster of 2+ in some field)\n`,
  );
  rows.push({
    size,
    full: medianMs(() => scoreProposerBatch(batch, config), runs),
    matrices: medianMs(() => distanceMatrices(batch), runs),
    perProposal: medianMs(() => perProposalScoring(batch), runs),
    naive: size <= naiveSizesMax ? medianMs(() => naiveDistanceMatrices(batch), Math.min(runs, 3)) : null,
  });
}

process.stdout.write(
  "\nsize   full ms  matrices ms  per-proposal ms  full/matrices  full/per-proposal  growth  naive-matrix ms  naive/matrices\n",
);
rows.forEach((row, index) => {
  const previous = rows[index - 1];
  const growth = previous === undefined ? "-" : `${(row.full / previous.full).toFixed(1)}x`;
  const naive = row.naive === null ? "-" : format(row.naive);
  const naiveRatio = row.naive === null ? "-" : `${(row.naive / row.matrices).toFixed(1)}x`;
  process.stdout.write(
    `${String(row.size).padEnd(6)} ${format(row.full).padStart(7)}  ${format(row.matrices).padStart(11)}  ` +
      `${format(row.perProposal).padStart(15)}  ${(row.full / row.matrices).toFixed(2).padStart(13)}  ` +
      `${(row.full / row.perProposal).toFixed(1).padStart(17)}  ${growth.padStart(6)}  ` +
      `${naive.padStart(15)}  ${naiveRatio.padStart(14)}\n`,
  );
});
