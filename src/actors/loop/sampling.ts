import type { RenderEvent } from "../../decisions/index.ts";
import type { EventOf, PolicyRole, payloads } from "../../events/index.ts";
import {
  collapseTagWhitespace,
  extractFinalAnswer,
  type Proposal,
  parseProposal,
  solverFormatOk,
} from "../../rewards/index.ts";
import type { GenerationMessage } from "../messages.ts";
import type { LoopRun } from "./context.ts";

/**
 * The loop's sampling blocks: ask a role's policy for outputs, and record each sample as an event
 * in the order of the given items (callers list items in logical-key order, so the log's order
 * never depends on which worker answered first).
 */

export interface UnitPosition {
  readonly iteration: number;
  readonly phase: PolicyRole;
  readonly step: number;
}

async function generateFor(
  run: LoopRun,
  role: PolicyRole,
  items: readonly { key: string; prompt: string; image: string | null }[],
  temperature: number,
): Promise<readonly GenerationMessage[]> {
  if (items.length === 0) return [];
  const policy = run.policies.checkpoints[role];
  const version = run.policies.versions[role];
  const requests = items.map((item) => ({
    seed: run.config.seed,
    key: [role, version, item.key],
    prompt: item.prompt,
    image: item.image,
    temperature,
    greedy: false,
  }));
  const generations = await run.services.generate(role, policy, requests);
  if (generations.length !== items.length) {
    throw new Error(`${role} returned ${generations.length} generations for ${items.length} requests`);
  }
  return generations;
}

/** What every policy sample's event records: where it was drawn, its key and purpose, text, tokens, log-probs. */
function sampleFields(
  position: UnitPosition,
  sampleKey: string,
  purpose: payloads.SamplePurpose,
  generation: GenerationMessage,
) {
  const { text, tokens, logProbs } = generation;
  return { ...position, sampleKey, purpose, text, tokens, logProbs };
}

export interface SampledProposal {
  readonly event: EventOf<"ProposalSampled">;
  readonly proposal: Proposal | null;
}

export async function sampleProposals(
  run: LoopRun,
  position: UnitPosition,
  purpose: payloads.SamplePurpose,
  items: readonly { key: string; topic: string }[],
): Promise<readonly SampledProposal[]> {
  const temperature = run.config.proposer.temperature;
  const generations = await generateFor(
    run,
    "proposer",
    items.map((item) => ({ key: item.key, prompt: run.formats.proposerPrompt(item.topic), image: null })),
    temperature,
  );
  const parsed = generations.map((generation) => parseProposal(generation.text));
  const events = await run.record(
    items.map((item, index) => {
      const generation = generations[index]!;
      const parse = parsed[index]!;
      return {
        type: "ProposalSampled" as const,
        producer: run.producer("proposer"),
        logicalKey: item.key,
        payload: {
          ...sampleFields(position, item.key, purpose, generation),
          topic: item.topic,
          proposal: parse.ok ? parse.proposal : null,
        },
      };
    }),
  );
  return events.map((event, index) => {
    const parse = parsed[index]!;
    return { event, proposal: parse.ok ? parse.proposal : null };
  });
}

export async function sampleCodes(
  run: LoopRun,
  position: UnitPosition,
  purpose: payloads.SamplePurpose,
  temperature: number,
  items: readonly { key: string; proposal: SampledProposal & { proposal: Proposal } }[],
): Promise<readonly EventOf<"CodeSampled">[]> {
  const generations = await generateFor(
    run,
    "coder",
    items.map((item) => ({
      key: item.key,
      prompt: run.formats.coderPrompt(item.proposal.proposal),
      image: null,
    })),
    temperature,
  );
  const events = await run.record(
    items.map((item, index) => {
      const generation = generations[index]!;
      return {
        type: "CodeSampled" as const,
        producer: run.producer("coder"),
        logicalKey: item.key,
        causationId: item.proposal.event.id,
        payload: {
          ...sampleFields(position, item.key, purpose, generation),
          proposalId: item.proposal.event.id,
        },
      };
    }),
  );
  return events;
}

/** Renders each code sample through the sandbox; one ImageRendered or RenderFailed per code. */
export async function renderCodes(
  run: LoopRun,
  codes: readonly EventOf<"CodeSampled">[],
): Promise<readonly RenderEvent[]> {
  if (codes.length === 0) return [];
  const results = await run.services.render(
    codes.map((code) => code.payload.text),
    run.config.render.imageSize,
  );
  const events = await run.record(
    codes.map((code, index) => {
      const result = results[index]!;
      const base = {
        producer: run.producer("renderer"),
        logicalKey: `${code.payload.sampleKey}/render`,
        causationId: code.id,
      };
      return result.kind === "ok"
        ? {
            ...base,
            type: "ImageRendered" as const,
            payload: {
              codeId: code.id,
              width: result.width,
              height: result.height,
              pixelHash: result.pixelHash,
              png: result.png,
            },
          }
        : {
            ...base,
            type: "RenderFailed" as const,
            payload: {
              codeId: code.id,
              outcome: result.outcome,
              message: result.message,
              noCodeExtracted: result.noCodeExtracted,
              notSvgLike: result.notSvgLike,
            },
          };
    }),
  );
  return events;
}

export interface AnswerItem {
  readonly key: string;
  readonly image: EventOf<"ImageRendered">;
  readonly question: "easy" | "hard";
  readonly questionText: string;
  readonly count: number;
}

/** `count` Solver samples per item, recorded as one AnswersSampled event per item. */
export async function sampleAnswers(
  run: LoopRun,
  position: UnitPosition,
  purpose: payloads.SamplePurpose,
  temperature: number,
  items: readonly AnswerItem[],
): Promise<readonly EventOf<"AnswersSampled">[]> {
  const requests = items.flatMap((item) =>
    Array.from({ length: item.count }, (_, sample) => ({
      key: `${item.key}/${sample}`,
      prompt: run.formats.solverPrompt(item.questionText),
      image: item.image.payload.pixelHash,
    })),
  );
  const generations = await generateFor(run, "solver", requests, temperature);
  let offset = 0;
  const specs = items.map((item) => {
    const samples = generations.slice(offset, offset + item.count).map((generation) => ({
      text: generation.text,
      tokens: generation.tokens,
      logProbs: generation.logProbs,
      answer: extractFinalAnswer(collapseTagWhitespace(generation.text)),
      formatOk: solverFormatOk(collapseTagWhitespace(generation.text)),
    }));
    offset += item.count;
    return {
      type: "AnswersSampled" as const,
      producer: run.producer("solver"),
      logicalKey: item.key,
      causationId: item.image.id,
      payload: {
        ...position,
        sampleKey: item.key,
        purpose,
        imageId: item.image.id,
        question: item.question,
        questionText: item.questionText,
        samples,
      },
    };
  });
  return run.record(specs);
}
