import {
  AdamW,
  type BackendName,
  generate,
  grpoUpdate,
  selectBackend,
  supervisedStep,
  weightHash,
} from "../../src/gpu/index.ts";
import { groupAdvantages, resolveGrpoConfig } from "../../src/rewards/index.ts";
import { imageOf, promptOf, testModel, toyTokenizer } from "./fixtures.ts";

/**
 * A short deterministic training run on the `test` preset: a supervised step, then GRPO steps whose
 * rollouts come from the model itself (rewarding the token "red"). Returns the weight hash after
 * every update, so callers can compare runs step by step.
 */
export async function trainingRunHashes(
  backend: BackendName,
  seed: string,
  grpoSteps: number,
): Promise<string[]> {
  await selectBackend({ name: backend });
  const config = resolveGrpoConfig("release");
  const model = testModel(seed);
  const reference = model.clone();
  const optimizer = new AdamW(model, { learningRate: 0.01 });
  const hashes: string[] = [];
  const prompts = ["red?", "two circle?", "blue square?"].map((text, index) => ({
    prompt: promptOf(text),
    image: imageOf(`run-${index}`),
  }));
  const response = [...toyTokenizer.encode("green three"), toyTokenizer.eosId];
  await supervisedStep(
    model,
    optimizer,
    prompts.map((prompt) => ({ ...prompt, response })),
    { gradientClipNorm: 1 },
  );
  hashes.push(await weightHash(model));
  const groupSize = 4;
  for (let step = 0; step < grpoSteps; step++) {
    const requests = prompts.flatMap((prompt, group) =>
      Array.from({ length: groupSize }, (_, member) => ({
        ...prompt,
        sampleKey: ["run", step, group, member],
      })),
    );
    const generations = await generate(model, requests, { seed, maxNewTokens: 5, temperature: 1 });
    const rewards = generations.map((generation) =>
      generation.tokens.includes(toyTokenizer.idOf("red")) ? 1 : 0,
    );
    const advantages = prompts.flatMap((_, group) =>
      groupAdvantages(rewards.slice(group * groupSize, (group + 1) * groupSize), config),
    );
    const samples = requests.map((request, index) => ({
      ...request,
      response: generations[index]!.tokens,
      oldLogProbs: generations[index]!.logProbs,
      advantage: advantages[index]!,
    }));
    await grpoUpdate(model, reference, optimizer, samples, { config, miniBatches: 2, gradientClipNorm: 1 });
    hashes.push(await weightHash(model));
  }
  for (const disposable of [model, reference, optimizer]) disposable.dispose();
  return hashes;
}
