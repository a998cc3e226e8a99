/**
 * A rich recorded run without models: the real loop (src/actors runLoop) driven by scripted
 * services whose outputs are keyed draws. Proposals are mostly format-valid with a spread of content
 * types and captions, SVGs render or fail in each of the Coder reward's tiers, and the Solver agrees
 * with itself to a degree drawn per image, so every reward term, filter and group shape occurs.
 */
import { join } from "node:path";
import type { LoopServices } from "../../src/actors/index.ts";
import { runIdOf, runLoop } from "../../src/actors/index.ts";
import { resolveRunConfig } from "../../src/config/index.ts";
import { proposerOutcome, type SampleGraph } from "../../src/decisions/index.ts";
import { canonicalJson, type MmzeroEvent, type PolicyRole, sha256Hex } from "../../src/events/index.ts";
import { worldRoleFormats } from "../../src/policy/index.ts";
import {
  type GrpoConfig,
  type GrpoPresetName,
  isSvgLike,
  type RewardConfig,
  type RewardPresetName,
  resolveGrpoConfig,
  resolveRewardConfig,
} from "../../src/rewards/index.ts";
import { type KeyPart, keyedRandom } from "../../src/rng/index.ts";
import { type EventLog, openFileLog, openMemoryLog, type RecordedEvent } from "../../src/store/index.ts";

const contentTypes = ["data_chart", "diagram", "geometry", "table"] as const;
const captions = [
  "a bar chart of rainfall per month",
  "a bar chart of rainfall per week",
  "a triangle inside a circle",
  "a table of three fruits and their prices",
  "a flow diagram with four boxes",
] as const;
const hardChoices = ["A", "B", "C"] as const;

function proposerText(random: ReturnType<typeof keyedRandom>): string {
  if (random.nextUniform() < 0.2) return "a chart, maybe";
  const count = 1 + random.nextInt(6);
  // Charts dominate, so the content-type spread penalty applies in most batches.
  const type = random.nextUniform() < 0.6 ? "data_chart" : contentTypes[random.nextInt(contentTypes.length)]!;
  const caption = captions[random.nextInt(captions.length)]!;
  return (
    `<content_type>${type}</content_type><caption>${caption}</caption>` +
    `<easy_question>How many marks are drawn? [${count}]</easy_question><easy_answer>${count}</easy_answer>` +
    `<hard_question>Which label is largest?</hard_question><hard_answer>A</hard_answer>`
  );
}

function coderText(random: ReturnType<typeof keyedRandom>): string {
  const draw = random.nextUniform();
  if (draw < 0.6) return `<svg width="8" height="8"><rect id="r${random.nextInt(1000)}"/></svg>`;
  if (draw < 0.7) return "";
  if (draw < 0.85) return "I would draw a rectangle";
  return "<svg><rect";
}

/** Easy questions carry their answer in brackets; the Solver reads it correctly with a per-image skill. */
function solverText(
  key: string,
  prompt: string,
  image: string,
  random: ReturnType<typeof keyedRandom>,
): string {
  const skill = keyedRandom("scripted-image", image).nextUniform();
  if (random.nextUniform() < 0.08) return "no idea";
  let answer: string;
  if (key.includes("/easy/")) {
    const truth = /\[(\d+)\]/.exec(prompt)?.[1] ?? "0";
    answer = random.nextUniform() < 0.3 + 0.7 * skill ? truth : String(7 + random.nextInt(3));
  } else {
    answer = random.nextUniform() < 0.3 + 0.6 * skill ? "A" : hardChoices[1 + random.nextInt(2)]!;
  }
  const think = random.nextUniform() < 0.1 ? "" : "<think>I look at the image</think> ";
  return `${think}\\boxed{${answer}}`;
}

function generation(role: PolicyRole, key: readonly KeyPart[], prompt: string, image: string | null) {
  const random = keyedRandom("scripted", ...key);
  const text =
    role === "proposer"
      ? proposerText(random)
      : role === "coder"
        ? coderText(random)
        : solverText(String(key.at(-1)), prompt, image ?? "", random);
  return { text, tokens: [1, 2, 3], logProbs: [-0.5, -0.25, -0.125] };
}

export const scriptedServices: LoopServices = {
  async generate(role, _policy, requests) {
    return requests.map((request) =>
      generation(role, [request.seed, ...request.key], request.prompt, request.image),
    );
  },
  async update(request) {
    const hash = sha256Hex(canonicalJson({ policy: request.policy, key: request.key }));
    return {
      weightHash: hash,
      checkpoint: hash,
      optimizerState: sha256Hex(hash),
      loss: 0,
      policyLoss: 0,
      kl: 0,
      clipFraction: 0,
      gradNorm: 0,
      tokenCount: 3 * request.sequences.length,
    };
  },
  async render(outputs) {
    return outputs.map((text) => {
      if (text.startsWith("<svg") && text.endsWith("</svg>")) {
        const hash = sha256Hex(text);
        return { kind: "ok" as const, pixelHash: hash, png: hash, width: 8, height: 8 };
      }
      const noCode = text.trim() === "";
      return {
        kind: "failed" as const,
        outcome: noCode
          ? ("NoCode" as const)
          : isSvgLike(text)
            ? ("XmlError" as const)
            : ("NotSvgLike" as const),
        message: "scripted failure",
        noCodeExtracted: noCode,
        notSvgLike: !isSvgLike(text),
      };
    });
  },
};

export interface ScriptedRun {
  readonly events: readonly MmzeroEvent[];
  /** The same events as the log stored them (with their hashes). */
  readonly recorded: readonly RecordedEvent[];
  readonly rewards: ReturnType<typeof resolveRewardConfig>;
  readonly grpo: ReturnType<typeof resolveGrpoConfig>;
}

/** Two iterations with two steps per phase: every phase, filter and group shape, in well under a second. */
export function scriptedRunConfig(rewards: RewardPresetName, grpo: GrpoPresetName) {
  return resolveRunConfig("smoke", {
    seed: "rescore-scripted",
    iterations: 2,
    proposer: { steps: 2, promptsPerStep: 3, rolloutsPerPrompt: 4 },
    coder: { steps: 2, promptsPerStep: 2, rolloutsPerPrompt: 4, candidateFactor: 3 },
    solver: { steps: 2, promptsPerStep: 3, rolloutsPerPrompt: 4, datasetProposals: 24 },
    rewards,
    grpo,
  });
}

export interface ScriptedRunOptions {
  readonly rewards?: RewardPresetName;
  readonly grpo?: GrpoPresetName;
  readonly runDirectory?: string;
  /** The run's seed (default: the fixed scripted seed). */
  readonly seed?: string;
  /** Explicit configurations: they replace the presets' for scoring (the run config keeps the preset names). */
  readonly rewardConfig?: RewardConfig;
  readonly grpoConfig?: GrpoConfig;
  /** Default: {@link scriptedServices}. */
  readonly services?: LoopServices;
}

/**
 * Records a scripted run into memory, or into `runDirectory`'s events/ (a run directory the CLI
 * reads) when given.
 */
export async function recordScriptedRun(options: ScriptedRunOptions = {}): Promise<ScriptedRun> {
  const presetConfig = scriptedRunConfig(options.rewards ?? "release", options.grpo ?? "release");
  const config = options.seed === undefined ? presetConfig : { ...presetConfig, seed: options.seed };
  const rewards = options.rewardConfig ?? resolveRewardConfig(options.rewards ?? "release");
  const grpo = options.grpoConfig ?? resolveGrpoConfig(options.grpo ?? "release");
  const runId = runIdOf(config);
  const log: EventLog =
    options.runDirectory === undefined
      ? openMemoryLog(runId)
      : await openFileLog(join(options.runDirectory, "events"), { runId });
  try {
    const outcome = await runLoop({
      config,
      rewards,
      grpo,
      log,
      services: options.services ?? scriptedServices,
      formats: worldRoleFormats,
      benchmark: { items: [], hash: sha256Hex("no benchmark") },
      base: { weightHash: sha256Hex("scripted base"), checkpoint: sha256Hex("scripted base checkpoint") },
      backend: { name: "scripted", version: "0", threads: 1, simd: false },
      progress: { unit() {}, metrics() {} },
      clock: { nowIso: () => "2026-01-01T00:00:00.000Z" },
      resume: false,
    });
    if (outcome.status !== "completed") throw new Error(`scripted run failed: ${outcome.failure?.message}`);
    const recorded: RecordedEvent[] = [];
    for await (const entry of log.read()) recorded.push(entry);
    return { events: recorded.map((entry) => entry.event), recorded, rewards, grpo };
  } finally {
    await log.close();
  }
}

/**
 * How many of a proposal's K judge codes rendered and were answered: derived from the sample graph
 * (RewardScored does not record it; v1 stored it as the `renderedCount` component).
 */
export function renderedJudgeCount(graph: SampleGraph, proposalId: string): number {
  const outcome = proposerOutcome(graph, graph.event(proposalId, "ProposalSampled", "a Proposer reward"));
  return outcome.kind === "parsed" ? outcome.judges.filter((judge) => judge.kind === "judged").length : 0;
}
