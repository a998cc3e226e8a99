// Analysis for docs/learning.md E40 (ANALYSIS ONLY: the oracle judges pictures here, nothing feeds a
// run). Can a Coder's GRPO group tell a faithful SVG from an unfaithful one by its solvability, and does
// the anchor matter? For every Coder rollout group (one proposal's rollouts in one step) of an
// experiment's runs: how many groups mix faithful and unfaithful SVGs (only those carry a fidelity
// signal, advantages being relative to the group), and, over every (faithful, unfaithful) pair inside a
// group, how often the faithful one has the higher s (ties count half: 50% is chance) when s counts
// against the Proposer's easy answer (the release) or against the group's consensus
// (`coder.solvabilityAnchor: "consensus"`). Also: how often each anchor is what the Solver reads on the
// group's faithful renders, and the Coder's fidelity at 0.7 before training (iteration 1's prompt
// filter, written by the base) and in each iteration's Solver dataset (written by Coder_i).
//
//   node bin/run-ts.js experiments/analysis/coder-anchor.mts <experiment dir>...
import { join } from "node:path";
import { coderOutcome, SampleGraph } from "../../src/decisions/index.ts";
import type { EventOf } from "../../src/events/index.ts";
import { depictionVerdict } from "../../src/report/index.ts";
import {
  answersEquivalent,
  type CoderOutcome,
  type RewardConfig,
  resolveRewardConfig,
  solvability,
  solvabilityAnchors,
  uniqueMajority,
} from "../../src/rewards/index.ts";
import { readFileLogReadOnly } from "../../src/store/index.ts";
import { readExperimentRuns } from "./experiment-dir.ts";

const experimentDirs = process.argv.slice(2);
if (experimentDirs.length === 0) throw new Error("usage: coder-anchor.mts <experiment dir>...");

type Anchor = "proposer" | "consensus";
interface Tally {
  groups: number;
  mixedGroups: number;
  pairs: number;
  /** Pairs the faithful SVG wins, ties counting half, by anchor. */
  wins: Record<Anchor, number>;
  /** Groups with a faithful render, and how often each anchor is what the Solver reads on them. */
  faithfulGroups: number;
  anchorIsFaithfulReading: Record<Anchor, number>;
  /** Fidelity of the base's filter codes (iteration 1) and of each iteration's Solver dataset codes. */
  fidelity: Map<string, { depicts: number; checked: number }>;
}
const tallies = new Map<string, Tally>();
const tallyOf = (configuration: string): Tally => {
  const existing = tallies.get(configuration);
  if (existing !== undefined) return existing;
  const created: Tally = {
    groups: 0,
    mixedGroups: 0,
    pairs: 0,
    wins: { proposer: 0, consensus: 0 },
    faithfulGroups: 0,
    anchorIsFaithfulReading: { proposer: 0, consensus: 0 },
    fidelity: new Map(),
  };
  tallies.set(configuration, created);
  return created;
};

function depicts(graph: SampleGraph, code: EventOf<"CodeSampled">): boolean | null {
  const prompt = graph.event(code.payload.proposalId, "ProposalSampled", `code ${code.id}`);
  const proposal = graph.proposalOf(prompt);
  if (proposal === null) return null;
  const verdict = depictionVerdict(proposal.caption, code.payload.text).verdict;
  return verdict === "unknown" ? null : verdict === "depicts";
}

const anchorConfigs: Record<Anchor, RewardConfig> = {
  proposer: resolveRewardConfig("release"),
  consensus: resolveRewardConfig({ preset: "release", coder: { solvabilityAnchor: "consensus" } }),
};
const easyAnswers = (outcome: CoderOutcome): readonly string[] =>
  outcome.kind === "rendered" ? outcome.easyAnswers : [];
/** A failed render scores below any rendered one, as in the reward. */
const sOf = (outcome: CoderOutcome, anchor: string): number =>
  outcome.kind === "rendered" ? solvability(outcome.easyAnswers, anchor) : -1;

for (const experimentDir of experimentDirs) {
  for (const { configuration, dir } of await readExperimentRuns(experimentDir)) {
    const events = [];
    for await (const { event } of readFileLogReadOnly(join(dir, "events"))) events.push(event);
    const graph = SampleGraph.of(events);
    const tally = tallyOf(configuration);
    const countFidelity = (key: string, code: EventOf<"CodeSampled">) => {
      const verdict = depicts(graph, code);
      if (verdict === null) return;
      const entry = tally.fidelity.get(key) ?? { depicts: 0, checked: 0 };
      entry.checked += 1;
      if (verdict) entry.depicts += 1;
      tally.fidelity.set(key, entry);
    };
    for (const code of graph.codes()) {
      const { iteration, phase, purpose } = code.payload;
      if (phase === "coder" && purpose === "judge" && iteration === 1) countFidelity("base", code);
      if (phase === "solver") countFidelity(`iteration ${iteration}`, code);
    }
    for (const iteration of graph.iterations()) {
      for (let step = 0; ; step += 1) {
        const codes = graph.codesAt({ iteration, phase: "coder", step, purpose: "rollout" });
        if (codes.length === 0) break;
        const groups = new Map<string, EventOf<"CodeSampled">[]>();
        for (const code of codes)
          groups.set(code.payload.proposalId, [...(groups.get(code.payload.proposalId) ?? []), code]);
        for (const group of groups.values()) {
          const rows = group.flatMap((code) => {
            const verdict = depicts(graph, code);
            return verdict === null ? [] : [{ faithful: verdict, ...coderOutcome(graph, code) }];
          });
          if (rows.length === 0) continue;
          // The anchors as the loop's reward computes them, for one group.
          const rollouts = rows.map((row) => ({
            group: "",
            outcome: row.outcome,
            easyAnswer: row.easyAnswer,
          }));
          const anchors: Record<Anchor, string> = {
            proposer: solvabilityAnchors(rollouts, anchorConfigs.proposer)[0]!,
            consensus: solvabilityAnchors(rollouts, anchorConfigs.consensus)[0]!,
          };
          tally.groups += 1;
          const faithful = rows.filter((row) => row.faithful);
          const unfaithful = rows.filter((row) => !row.faithful);
          if (faithful.length > 0) {
            tally.faithfulGroups += 1;
            const reading = uniqueMajority(faithful.flatMap((row) => easyAnswers(row.outcome)));
            for (const anchor of ["proposer", "consensus"] as const)
              if (reading !== "" && answersEquivalent(anchors[anchor], reading))
                tally.anchorIsFaithfulReading[anchor] += 1;
          }
          if (faithful.length === 0 || unfaithful.length === 0) continue;
          tally.mixedGroups += 1;
          for (const good of faithful)
            for (const bad of unfaithful) {
              tally.pairs += 1;
              for (const anchor of ["proposer", "consensus"] as const) {
                const difference = sOf(good.outcome, anchors[anchor]) - sOf(bad.outcome, anchors[anchor]);
                tally.wins[anchor] += difference > 0 ? 1 : difference === 0 ? 0.5 : 0;
              }
            }
        }
      }
    }
  }
}

const percent = (count: number, total: number) =>
  total === 0 ? "–" : `${((100 * count) / total).toFixed(1)}%`;
for (const [configuration, tally] of [...tallies].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`${configuration}`);
  console.log(
    `  Coder rollout groups ${tally.groups}, mixing faithful and unfaithful SVGs ${tally.mixedGroups} (${percent(tally.mixedGroups, tally.groups)})`,
  );
  console.log(
    `  faithful SVG has the higher s, over ${tally.pairs} pairs: Proposer anchor ${percent(tally.wins.proposer, tally.pairs)}, consensus ${percent(tally.wins.consensus, tally.pairs)}`,
  );
  console.log(
    `  anchor = the Solver's reading of the faithful renders (${tally.faithfulGroups} groups): Proposer ${percent(tally.anchorIsFaithfulReading.proposer, tally.faithfulGroups)}, consensus ${percent(tally.anchorIsFaithfulReading.consensus, tally.faithfulGroups)}`,
  );
  const fidelity = [...tally.fidelity].sort(([a], [b]) =>
    a === "base" ? -1 : b === "base" ? 1 : a.localeCompare(b),
  );
  console.log(
    `  Coder fidelity at the judge temperature: ${fidelity.map(([key, entry]) => `${key} ${percent(entry.depicts, entry.checked)}`).join(", ")}`,
  );
}
