// Analysis for docs/learning.md E37 (ANALYSIS ONLY: the oracle's answers score, nothing here feeds a
// run): on the loop's own Solver datasets, how often would cross-role agreement (the Proposer's hard
// answer equal to the Solver's majority label, `filters.requireProposerAgreement`) keep an item, and
// are the labels it keeps right more often than the rest and than the voting Solver's greedy answer?
// The Proposer computes its hard answer from its caption, the Solver reads the image: if their errors
// are independent, agreement selects right labels. Reads an experiment directory: the runs' events
// (DatasetBuilt labels, joined to their proposal through ImageRendered and CodeSampled) and the
// experiment's cached dataset evaluations (the truth on the same pixels and the voting Solver's greedy
// answer), grouped by the experiment's configuration names and by the label's kind.
//
//   node bin/run-ts.js experiments/analysis/agreement-labels.mts <experiment dir>
import { join } from "node:path";
import { answerKind } from "../../src/pretrain/index.ts";
import { answersEquivalent } from "../../src/rewards/index.ts";
import { readFileLogReadOnly } from "../../src/store/index.ts";
import { readDatasetEvaluations, readExperimentRuns } from "./experiment-dir.ts";

const [experimentDir] = process.argv.slice(2);
if (experimentDir === undefined) throw new Error("usage: agreement-labels.mts <experiment dir>");

interface Candidate {
  readonly configuration: string;
  readonly pseudoLabel: string;
  readonly proposerHardAnswer: string;
}

const candidates = new Map<string, Candidate>();
for (const { configuration, dir } of await readExperimentRuns(experimentDir)) {
  const proposalOfCode = new Map<string, string>();
  const codeOfImage = new Map<string, string>();
  const hardAnswerOfProposal = new Map<string, string>();
  for await (const { event } of readFileLogReadOnly(join(dir, "events"))) {
    const id = event.id;
    if (event.type === "ProposalSampled" && event.payload.proposal !== null)
      hardAnswerOfProposal.set(id, event.payload.proposal.hardAnswer);
    else if (event.type === "CodeSampled") proposalOfCode.set(id, event.payload.proposalId);
    else if (event.type === "ImageRendered") codeOfImage.set(id, event.payload.codeId);
    else if (event.type === "DatasetBuilt" && event.payload.phase === "solver")
      for (const item of event.payload.items) {
        if ((item.level ?? "hard") !== "hard") continue;
        const proposalId = proposalOfCode.get(codeOfImage.get(item.imageId) ?? "");
        const proposerHardAnswer = hardAnswerOfProposal.get(proposalId ?? "");
        if (proposerHardAnswer === undefined) throw new Error(`no proposal found for image ${item.imageId}`);
        candidates.set(item.imageId, { configuration, pseudoLabel: item.pseudoLabel, proposerHardAnswer });
      }
  }
}

type Tally = { items: number; labelRight: number; greedyRight: number };
const empty = (): Tally => ({ items: 0, labelRight: 0, greedyRight: 0 });
const tallies = new Map<string, { agree: Tally; disagree: Tally }>();
const seen = new Set<string>();
for (const result of await readDatasetEvaluations(experimentDir)) {
  const candidate = candidates.get(result.id);
  if (candidate === undefined || result.level !== "hard" || seen.has(result.id)) continue;
  seen.add(result.id);
  for (const key of [
    candidate.configuration,
    `${candidate.configuration} · ${answerKind(candidate.pseudoLabel)}`,
  ]) {
    const groups = tallies.get(key) ?? { agree: empty(), disagree: empty() };
    const tally = answersEquivalent(candidate.pseudoLabel, candidate.proposerHardAnswer)
      ? groups.agree
      : groups.disagree;
    tally.items += 1;
    if (answersEquivalent(candidate.pseudoLabel, result.answer)) tally.labelRight += 1;
    if (result.greedyCorrect) tally.greedyRight += 1;
    tallies.set(key, groups);
  }
}
const percent = (count: number, total: number) => `${((100 * count) / Math.max(total, 1)).toFixed(1)}%`;
const line = (name: string, tally: Tally) =>
  `  ${name.padEnd(9)} ${String(tally.items).padStart(5)} items: labels right ${percent(tally.labelRight, tally.items)}, greedy right ${percent(tally.greedyRight, tally.items)}`;
for (const [configuration, { agree, disagree }] of [...tallies].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`${configuration}: agreement keeps ${percent(agree.items, agree.items + disagree.items)}`);
  console.log(line("agree", agree));
  console.log(line("disagree", disagree));
}
