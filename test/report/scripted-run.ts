import { join } from "node:path";
import type { LoopServices, RenderResultMessage } from "../../src/actors/index.ts";
import { RenderService, runIdOf, runLoop } from "../../src/actors/index.ts";
import { loadBenchmark, loadGrpoConfig, loadRewardConfig } from "../../src/app/index.ts";
import { resolveRunConfig } from "../../src/config/index.ts";
import { type PolicyRole, sha256Hex } from "../../src/events/index.ts";
import { worldRoleFormats } from "../../src/policy/index.ts";
import { createRenderPool, extractSvg } from "../../src/render/index.ts";
import { parseProposal } from "../../src/rewards/index.ts";
import { type KeyedRandom, type KeyPart, keyedRandom } from "../../src/rng/index.ts";
import { openFileBlobStore, openFileLog } from "../../src/store/index.ts";
import {
  answerWord,
  benchmarkHardLimits,
  captionText,
  coderAnswerTokens,
  colours,
  evaluateQuestion,
  parseCaption,
  parseQuestion,
  proposalText,
  questionText,
  readSvgScene,
  type Scene,
  sampleEasyQuestion,
  sampleHardQuestion,
  sampleScene,
  worldContentTypes,
} from "../../src/world/index.ts";

/**
 * A rich run for report tests, made by the real loop (actors, recorder, rewards, renderer) with
 * scripted policies in place of the models: the Proposer writes world scenes with questions, the
 * Coder draws them (sometimes wrongly, sometimes not at all), the Solver reads the rendered scene
 * and answers. Every policy gets better with each GRPO update, so curves move. A few outputs carry
 * `<script>` markup, so the report's escaping is exercised by real model text.
 * Deterministic: every choice is a keyed draw of the request's logical key.
 */

/** Text the report must show as text and never run. */
export const injectedMarkup =
  '<script>window.__reportInjected = true</script><img src=x onerror="window.__reportInjected = true">';

const baseCheckpoint = sha256Hex("scripted base checkpoint");

function randomOf(key: readonly KeyPart[]): KeyedRandom {
  const [seed = "scripted", ...parts] = key;
  return keyedRandom(seed, ...parts);
}

/** Probability that a policy with `updates` GRPO updates behind it does the right thing. */
function skillOf(updates: number): number {
  return Math.min(0.92, 0.5 + 0.12 * updates);
}

function tokensOf(text: string) {
  const words = text.split(/\s+/).filter((word) => word !== "");
  return { tokens: words.map((word) => word.length), logProbs: words.map(() => -0.7) };
}

function isInjectionKey(key: readonly KeyPart[]): boolean {
  return String(key.at(-1)).endsWith("/p0/r1") || String(key.at(-1)).endsWith("/p1/r0/code1");
}

function proposerText(random: KeyedRandom, skill: number, key: readonly KeyPart[]): string {
  if (isInjectionKey(key)) return `<caption>${injectedMarkup}</caption> the rest went missing`;
  if (random.nextUniform() > skill + 0.05) return "<content_type> table</content_type><caption> table red ;";
  const contentType = worldContentTypes[random.nextInt(worldContentTypes.length)]!;
  const scene = sampleScene(random.fork("scene"), contentType);
  const easy = sampleEasyQuestion(random.fork("easy"), scene);
  const hard = sampleHardQuestion(random.fork("hard"), scene, benchmarkHardLimits);
  const wrong = (answer: string) =>
    random.nextUniform() < skill ? answer : colours[random.nextInt(colours.length)]!;
  return proposalText({
    contentType,
    caption: captionText(scene),
    easyQuestion: questionText(easy.question),
    easyAnswer: wrong(answerWord(easy.evaluation.answer)),
    hardQuestion: questionText(hard.question),
    hardAnswer: answerWord(hard.evaluation.answer),
  });
}

function coderText(random: KeyedRandom, skill: number, prompt: string, key: readonly KeyPart[]): string {
  const parsed = parseProposal(prompt);
  const scene = parsed.ok ? parseCaption(parsed.proposal.caption) : null;
  if (scene === null || !scene.ok) return "no idea";
  if (isInjectionKey(key))
    return `\`\`\`svg\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">${injectedMarkup}</svg>\n\`\`\``;
  const draw = random.nextUniform();
  if (draw < skill) return coderAnswerTokens(scene.value).join("");
  if (draw < skill + (1 - skill) / 3)
    return coderAnswerTokens(sampleScene(random, scene.value.contentType)).join("");
  if (draw < skill + (2 * (1 - skill)) / 3)
    return '```svg\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect\n```';
  return "the picture shows a chart";
}

function solverText(random: KeyedRandom, skill: number, prompt: string, scene: Scene | undefined): string {
  const question = parseQuestion(prompt.replace("<question>", "").replace("</question>", ""));
  const truth = scene !== undefined && question.ok ? evaluateQuestion(scene, question.value) : null;
  if (random.nextUniform() < 0.05) return "<think> hmm";
  const right = truth?.ok === true && random.nextUniform() < skill;
  const answer = right ? answerWord(truth.value.answer) : String(random.nextInt(4) + 1);
  return `<think> looking </think>\\boxed{${answer}}`;
}

/** The loop's services with scripted policies; renders go through the real sandboxed pool. */
function scriptedServices(render: RenderService): LoopServices {
  const updates = new Map<string, number>([[baseCheckpoint, 0]]);
  const scenes = new Map<string, Scene>();
  const textFor = (
    role: PolicyRole,
    skill: number,
    request: { seed: string; key: readonly KeyPart[]; prompt: string; image: string | null },
  ) => {
    const key = [request.seed, ...request.key];
    const random = randomOf(key);
    if (role === "proposer") return proposerText(random, skill, key);
    if (role === "coder") return coderText(random, skill, request.prompt, key);
    return solverText(
      random,
      skill,
      request.prompt,
      request.image === null ? undefined : scenes.get(request.image),
    );
  };
  return {
    async generate(role, policy, requests) {
      const skill = skillOf(updates.get(policy) ?? 0);
      return requests.map((request) => {
        const text = textFor(role, skill, request);
        return { text, ...tokensOf(text) };
      });
    },
    async update(request) {
      const random = randomOf(request.key);
      const checkpoint = sha256Hex(`${request.policy}/${request.key.join("/")}`);
      updates.set(checkpoint, (updates.get(request.policy) ?? 0) + 1);
      return {
        weightHash: sha256Hex(`weights of ${checkpoint}`),
        checkpoint,
        optimizerState: checkpoint,
        loss: 0.2 * random.nextNormal(),
        policyLoss: 0.2 * random.nextNormal(),
        kl: 0.01 * random.nextUniform(),
        clipFraction: 0.3 * random.nextUniform(),
        gradNorm: 0.5 + random.nextUniform(),
        tokenCount: request.sequences.reduce((sum, sequence) => sum + sequence.tokens.length, 0),
      };
    },
    async render(outputs, size): Promise<readonly RenderResultMessage[]> {
      const { results } = await render.render({ outputs, size });
      results.forEach((result, index) => {
        if (result.kind !== "ok") return;
        const output = outputs[index]!;
        const extracted = extractSvg(output);
        const scene = readSvgScene(extracted.kind === "code" ? extracted.code : output);
        if (scene.ok) scenes.set(result.pixelHash, scene.value);
      });
      return results;
    },
  };
}

/** Writes a scripted run (two iterations, two steps per phase) into `directory`; returns its run id. */
export async function writeScriptedRun(directory: string): Promise<string> {
  const config = resolveRunConfig("smoke", {
    iterations: 2,
    proposer: { steps: 2, promptsPerStep: 3, rolloutsPerPrompt: 2 },
    coder: { steps: 2 },
    solver: { steps: 2, datasetProposals: 10 },
    benchmark: { sliceSize: 24 },
    model: { preset: "test", checkpoint: "scripted" },
    render: { workers: 1 },
  });
  const runId = runIdOf(config);
  const pool = createRenderPool({ workerCount: 1, renderTimeoutMs: config.render.timeoutMs });
  await using log = await openFileLog(join(directory, "events"), { runId });
  await using blobs = await openFileBlobStore(join(directory, "blobs"));
  try {
    const outcome = await runLoop({
      config,
      rewards: await loadRewardConfig(config.rewards),
      grpo: await loadGrpoConfig(config.grpo),
      log,
      services: scriptedServices(new RenderService(pool, blobs)),
      formats: worldRoleFormats,
      benchmark: await loadBenchmark(config.benchmark.path),
      base: { checkpoint: baseCheckpoint, weightHash: sha256Hex("scripted base weights") },
      backend: { name: "scripted", version: "test", threads: 1, simd: false },
      progress: { unit() {}, metrics() {} },
      clock: { nowIso: () => "2026-01-01T00:00:00.000Z" },
      resume: false,
    });
    if (outcome.status !== "completed")
      throw new Error(`the scripted run failed: ${outcome.failure?.message}`);
  } finally {
    await pool.close();
  }
  return runId;
}
