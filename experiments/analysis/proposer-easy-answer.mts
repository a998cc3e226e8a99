// Analysis for docs/learning.md E9: can a base answer its own caption's easy question? For every
// parsed, in-grammar proposal sampled in iteration 1's proposer phase of the given runs (the base, then
// after each of the phase's few GRPO steps), the recorded (sampled, T = 1) easy answer and the
// checkpoint's greedy answer given the same prompt, caption and question are scored by the oracle (the
// answer on the caption's scene).
//
//   CKPT=<checkpoint> (default models/base-stepwise-long.ckpt) \
//     node bin/run-ts.js experiments/analysis/proposer-easy-answer.mts <run dir>...
import { join } from "node:path";
import { generate, selectBackend } from "../../src/gpu/index.ts";
import { worldRoleFormats, worldTextCodec } from "../../src/policy/index.ts";
import { loadSolver } from "../../src/pretrain/index.ts";
import { answerVerdict } from "../../src/report/oracle-checks.ts";
import { answersEquivalent, parseProposal } from "../../src/rewards/index.ts";
import { readFileLogReadOnly } from "../../src/store/index.ts";

interface Probe {
  /** Proposer prompt, then the sampled proposal up to and including `<easy_answer>`. */
  readonly prompt: number[];
  readonly truth: string;
  readonly sampledAnswer: string;
  readonly questionKind: string;
}

const codec = worldTextCodec();
const answerOpening = codec.tokenizer.encode("<easy_answer>");

/** Index just after the first occurrence of `needle` in `tokens`; -1 if absent. */
function endOf(tokens: readonly number[], needle: readonly number[]): number {
  for (let start = 0; start + needle.length <= tokens.length; start++)
    if (needle.every((token, offset) => tokens[start + offset] === token)) return start + needle.length;
  return -1;
}

async function probesOf(runDir: string): Promise<Probe[]> {
  const probes: Probe[] = [];
  for await (const { event } of readFileLogReadOnly(join(runDir, "events"))) {
    if (event.type !== "ProposalSampled") continue;
    const { iteration, phase, text, tokens, topic } = event.payload;
    if (iteration !== 1 || phase !== "proposer") continue;
    const parse = parseProposal(text);
    if (!parse.ok) continue;
    const { caption, easyQuestion, easyAnswer } = parse.proposal;
    const verdict = answerVerdict(caption, easyQuestion, easyAnswer);
    const end = endOf(tokens, answerOpening);
    if (verdict.verdict === "unknown" || end < 0) continue;
    probes.push({
      prompt: [...codec.promptTokens(worldRoleFormats.proposerPrompt(topic)), ...tokens.slice(0, end)],
      truth: verdict.truth,
      sampledAnswer: easyAnswer,
      questionKind: easyQuestion.trim().split(/\s+/)[0] ?? "",
    });
  }
  return probes;
}

const runDirs = process.argv.slice(2);
if (runDirs.length === 0) throw new Error("usage: proposer-easy-answer.mts <run dir>...");
await selectBackend();
const checkpoint = process.env.CKPT ?? "models/base-stepwise-long.ckpt";
const { model } = await loadSolver(checkpoint);
const probes = (await Promise.all(runDirs.map(probesOf))).flat();
const generations = await generate(
  model,
  probes.map((probe, index) => ({ prompt: probe.prompt, sampleKey: ["proposer-easy-answer", index] })),
  { seed: "proposer-easy-answer", maxNewTokens: 3, temperature: 1, greedy: true },
);
const tally = new Map<string, { sampled: number; greedy: number; items: number }>();
for (const [index, probe] of probes.entries()) {
  const greedyAnswer = codec.tokenizer.decode(generations[index]!.tokens).split("</easy_answer>")[0]!;
  const row = tally.get(probe.questionKind) ?? { sampled: 0, greedy: 0, items: 0 };
  row.sampled += Number(answersEquivalent(probe.sampledAnswer, probe.truth));
  row.greedy += Number(answersEquivalent(greedyAnswer, probe.truth));
  row.items += 1;
  tally.set(probe.questionKind, row);
}
const total = [...tally.values()].reduce(
  (sum, row) => ({
    sampled: sum.sampled + row.sampled,
    greedy: sum.greedy + row.greedy,
    items: sum.items + row.items,
  }),
  { sampled: 0, greedy: 0, items: 0 },
);
console.log(
  `${checkpoint}: easy answers right, sampled ${total.sampled} / greedy ${total.greedy} of ${total.items}`,
);
for (const [kind, row] of [...tally].sort())
  console.log(`  "${kind}": ${row.sampled} / ${row.greedy} of ${row.items}`);
model.dispose();
