import type { EventOf } from "../../events/index.ts";
import type { Proposal } from "../../rewards/index.ts";
import type { LoopRun } from "./context.ts";
import {
  renderCodes,
  type SampledProposal,
  sampleAnswers,
  sampleCodes,
  type UnitPosition,
} from "./sampling.ts";

/**
 * Judging a proposal through the frozen Coder and Solver (mm-zero-algorithm.md, Proposer reward
 * steps 2-3): K code samples, each rendered, each rendered image answered M times per question.
 * Everything is recorded; the decisions read it back from the sample graph (src/decisions).
 */

export function isValidProposal(
  sample: SampledProposal,
): sample is SampledProposal & { readonly proposal: Proposal } {
  return sample.proposal !== null;
}

/** Renders the given codes and has the Solver answer both questions of each rendered image. */
export async function renderAndAnswer(
  run: LoopRun,
  position: UnitPosition,
  purpose: "judge" | "rollout" | "dataset",
  samplesPerQuestion: number,
  entries: readonly { code: EventOf<"CodeSampled">; proposal: Proposal }[],
): Promise<void> {
  const renders = await renderCodes(
    run,
    entries.map((entry) => entry.code),
  );
  const answerItems = entries.flatMap((entry, index) => {
    const render = renders[index]!;
    if (render.type !== "ImageRendered") return [];
    const key = entry.code.payload.sampleKey;
    return [
      {
        key: `${key}/easy`,
        image: render,
        question: "easy" as const,
        questionText: entry.proposal.easyQuestion,
        count: samplesPerQuestion,
      },
      {
        key: `${key}/hard`,
        image: render,
        question: "hard" as const,
        questionText: entry.proposal.hardQuestion,
        count: samplesPerQuestion,
      },
    ];
  });
  await sampleAnswers(
    run,
    position,
    purpose === "rollout" ? "judge" : purpose,
    run.config.judge.solverTemperature,
    answerItems,
  );
}

/** Code samples for the given items, each rendered and (when it renders) answered by the Solver. */
export async function codeRenderAndAnswer(
  run: LoopRun,
  position: UnitPosition,
  purpose: "judge" | "rollout",
  temperature: number,
  codeItems: readonly { key: string; proposal: SampledProposal & { readonly proposal: Proposal } }[],
): Promise<void> {
  const codes = await sampleCodes(run, position, purpose, temperature, codeItems);
  await renderAndAnswer(
    run,
    position,
    purpose,
    run.rewards.judging.solverSamplesPerImage,
    codes.map((code, index) => ({ code, proposal: codeItems[index]!.proposal.proposal })),
  );
}

/** K frozen-Coder samples per valid proposal, rendered and answered by the frozen Solver. */
export async function judgeProposals(
  run: LoopRun,
  position: UnitPosition,
  proposals: readonly SampledProposal[],
  codesPerProposal: number,
): Promise<void> {
  const valid = proposals.filter(isValidProposal);
  const codeItems = valid.flatMap((sample) =>
    Array.from({ length: codesPerProposal }, (_, index) => ({
      key: `${sample.event.payload.sampleKey}/code${index}`,
      proposal: sample,
    })),
  );
  await codeRenderAndAnswer(run, position, "judge", run.config.judge.coderTemperature, codeItems);
}
