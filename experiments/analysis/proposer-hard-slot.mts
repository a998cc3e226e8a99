// Analysis for docs/learning.md E10: what a base Proposer puts in the hard slot. Samples proposals at
// T = 1 (the loop's Proposer temperature) for every topic and counts, among those that parse, the hard
// questions by step count (the world's grammar; "unparsed" = outside it).
//
//   CKPT=<checkpoint> (default models/base-stepwise-long.ckpt) \
//     node bin/run-ts.js experiments/analysis/proposer-hard-slot.mts [proposals per topic=50]
import { generate, selectBackend } from "../../src/gpu/index.ts";
import { responseTokensMax, worldRoleFormats, worldTextCodec } from "../../src/policy/index.ts";
import { loadSolver } from "../../src/pretrain/index.ts";
import { parseProposal } from "../../src/rewards/index.ts";
import { sharesText, stepsKey } from "./question-steps.ts";

const perTopic = Number(process.argv[2] ?? 50);
await selectBackend();
const checkpoint = process.env.CKPT ?? "models/base-stepwise-long.ckpt";
const { model } = await loadSolver(checkpoint);
const codec = worldTextCodec();
const requests = worldRoleFormats.topics.flatMap((topic) =>
  Array.from({ length: perTopic }, (_, index) => ({
    prompt: codec.promptTokens(worldRoleFormats.proposerPrompt(topic)),
    sampleKey: ["proposer-hard-slot", topic, index],
  })),
);
const texts: string[] = [];
for (let start = 0; start < requests.length; start += 64) {
  const batch = await generate(model, requests.slice(start, start + 64), {
    seed: "proposer-hard-slot",
    maxNewTokens: responseTokensMax.proposer,
    temperature: 1,
  });
  texts.push(...batch.map((generation) => codec.responseText(generation.tokens)));
}
const hardQuestions = texts.flatMap((text) => {
  const proposal = parseProposal(text);
  return proposal.ok ? [proposal.proposal.hardQuestion] : [];
});
const parsed = hardQuestions.length;
const shares = sharesText(hardQuestions.map(stepsKey));
console.log(`${checkpoint}: ${parsed} of ${texts.length} proposals parse; hard slot by steps: ${shares}`);
model.dispose();
