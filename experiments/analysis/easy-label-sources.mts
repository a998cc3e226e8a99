// Analysis for docs/learning.md E9: on the loop's own Solver dataset candidates (the images whose easy
// question the Solver answered), how often is each possible easy label right: the Solver's easy
// majority, the Proposer's easy answer, the two when they agree (`filters.easyReplayRatio`'s label),
// and the Proposer's answer where only a minority of Solver samples shares it? The oracle (the answer
// on the caption's scene) only scores; "depicts" restricts to renders the oracle finds faithful.
//
//   node bin/run-ts.js experiments/analysis/easy-label-sources.mts <run dir>...
import { join } from "node:path";
import { SampleGraph } from "../../src/decisions/index.ts";
import { answerVerdict, depictionVerdict } from "../../src/report/oracle-checks.ts";
import { answersEquivalent, majorityVote } from "../../src/rewards/index.ts";
import { readFileLogReadOnly } from "../../src/store/index.ts";

interface Candidate {
  readonly depicts: boolean;
  readonly majorityRight: boolean;
  readonly proposerRight: boolean;
  /** Share of the Solver's easy samples that give the Proposer's easy answer. */
  readonly proposerShare: number;
  readonly proposerIsMajority: boolean;
  readonly questionKind: string;
}

async function candidatesOf(runDir: string): Promise<Candidate[]> {
  const events = [];
  for await (const recorded of readFileLogReadOnly(join(runDir, "events"))) events.push(recorded.event);
  const graph = SampleGraph.of(events);
  return graph.iterations().flatMap((iteration) =>
    graph
      .proposalsAt({ iteration, phase: "solver", step: 0, purpose: "dataset" })
      .flatMap((event): Candidate[] => {
        const proposal = graph.proposalOf(event);
        const [code] = graph.codesOf(event, "dataset");
        if (proposal === null || code === undefined) return [];
        const easy = graph.answersOf(graph.renderOf(code)).easy;
        const verdict = answerVerdict(proposal.caption, proposal.easyQuestion, proposal.easyAnswer);
        if (easy === null || verdict.verdict === "unknown") return [];
        const samples = easy.payload.samples.map((sample) => sample.answer);
        const label = majorityVote(samples).label;
        return [
          {
            depicts: depictionVerdict(proposal.caption, code.payload.text).verdict === "depicts",
            majorityRight: label !== "" && answersEquivalent(label, verdict.truth),
            proposerRight: verdict.verdict === "correct",
            proposerShare:
              samples.filter((answer) => answersEquivalent(answer, proposal.easyAnswer)).length /
              samples.length,
            proposerIsMajority: label !== "" && answersEquivalent(label, proposal.easyAnswer),
            questionKind: proposal.easyQuestion.trim().split(/\s+/)[0] ?? "",
          },
        ];
      }),
  );
}

const runDirs = process.argv.slice(2);
if (runDirs.length === 0) throw new Error("usage: easy-label-sources.mts <run dir>...");
const all = (await Promise.all(runDirs.map(candidatesOf))).flat();

const share = (rows: readonly Candidate[], test: (row: Candidate) => boolean) => {
  const hits = rows.filter(test).length;
  return `${hits}/${rows.length} (${rows.length === 0 ? "–" : ((100 * hits) / rows.length).toFixed(0)}%)`;
};
for (const [name, rows] of [
  ["all candidates", all],
  ["faithful renders", all.filter((row) => row.depicts)],
] as const) {
  console.log(
    `${name}: Solver majority right ${share(rows, (row) => row.majorityRight)}, Proposer right ${share(rows, (row) => row.proposerRight)}`,
  );
  const agree = rows.filter((row) => row.proposerIsMajority);
  console.log(`  agree (the easy-replay label): right ${share(agree, (row) => row.proposerRight)}`);
  for (const minimum of [0.125, 0.25, 0.375]) {
    const minority = rows.filter((row) => !row.proposerIsMajority && row.proposerShare >= minimum);
    console.log(
      `  Proposer in a minority >= ${minimum}: Proposer right ${share(minority, (row) => row.proposerRight)}, Solver majority right ${share(minority, (row) => row.majorityRight)}`,
    );
  }
  const unsupported = rows.filter((row) => row.proposerShare === 0);
  console.log(
    `  no Solver sample agrees: Proposer right ${share(unsupported, (row) => row.proposerRight)}, Solver majority right ${share(unsupported, (row) => row.majorityRight)}`,
  );
}
const kinds = [...new Set(all.map((row) => row.questionKind))].sort();
for (const kind of kinds) {
  const rows = all.filter((row) => row.questionKind === kind);
  console.log(
    `  "${kind}" questions: Proposer right ${share(rows, (row) => row.proposerRight)}, Solver majority right ${share(rows, (row) => row.majorityRight)}`,
  );
}
