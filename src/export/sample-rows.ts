import type { MmzeroEvent, PayloadOf, PolicyRole } from "../events/index.ts";
import { stageOfSampleKey } from "../report/index.ts";
import type { ExportRow } from "./row.ts";

/** The roles' prompt texts, as the loop built them (src/policy worldRoleFormats). */
export interface PromptFormats {
  proposerPrompt(topic: string): string;
  coderPrompt(proposal: NonNullable<PayloadOf<"ProposalSampled">["proposal"]>): string;
  solverPrompt(question: string): string;
}

type Reward = PayloadOf<"RewardScored">;

/**
 * Everything a sample row joins, gathered in one pass over the log: proposals by id (a Coder
 * prompt is built from one), render outcomes by code id, the frozen Solver's judging answers by
 * image id, and rewards by sample id (a Solver answer set has one reward per answer, told apart by
 * its `sampleIndex`).
 */
class SampleJoin {
  readonly proposals = new Map<string, PayloadOf<"ProposalSampled">>();
  readonly imageOfCode = new Map<string, string>();
  readonly renders = new Map<string, ExportRow>();
  readonly judging = new Map<string, Record<string, string[]>>();
  readonly rewards = new Map<string, Reward[]>();

  add(event: MmzeroEvent): void {
    switch (event.type) {
      case "ProposalSampled":
        this.proposals.set(event.id, event.payload);
        return;
      case "ImageRendered":
        this.imageOfCode.set(event.payload.codeId, event.id);
        this.renders.set(event.payload.codeId, {
          outcome: "rendered",
          message: null,
          image: event.payload.png,
          width: event.payload.width,
          height: event.payload.height,
        });
        return;
      case "RenderFailed":
        this.renders.set(event.payload.codeId, {
          outcome: event.payload.outcome,
          message: event.payload.message,
          image: null,
          width: null,
          height: null,
        });
        return;
      case "AnswersSampled":
        if (event.payload.purpose === "judge") {
          const answers = this.judging.get(event.payload.imageId) ?? {};
          answers[event.payload.question] = event.payload.samples.map((sample) => sample.answer);
          this.judging.set(event.payload.imageId, answers);
        }
        return;
      case "RewardScored": {
        const list = this.rewards.get(event.payload.sampleId) ?? [];
        list.push(event.payload);
        this.rewards.set(event.payload.sampleId, list);
        return;
      }
      default:
        return;
    }
  }
}

function position(
  seq: number,
  id: string,
  role: PolicyRole,
  payload: Pick<PayloadOf<"CodeSampled">, "iteration" | "phase" | "step" | "sampleKey" | "purpose">,
) {
  const stage = stageOfSampleKey(payload.sampleKey);
  return {
    seq,
    id,
    role,
    purpose: payload.purpose,
    iteration: payload.iteration,
    phase: payload.phase,
    stage,
    // 1-based like every step people read; 0 for samples drawn while building a dataset.
    step: stage === "step" ? payload.step + 1 : 0,
    sampleKey: payload.sampleKey,
  };
}

function rewardFields(reward: Reward | undefined): ExportRow {
  return { reward: reward?.total ?? null, components: reward?.components ?? null };
}

const noRender: ExportRow = { outcome: null, message: null, image: null, width: null, height: null };

/**
 * One row per generated text: each Proposer proposal, each Coder program (with its render outcome
 * and the frozen Solver's answers on its image) and each Solver answer (one row per sampled answer),
 * with the prompt it answered, its reward and reward components. Judging answers appear on the
 * sample they judge, not as rows of their own.
 */
export function sampleRows(events: readonly MmzeroEvent[], formats: PromptFormats): ExportRow[] {
  const join = new SampleJoin();
  for (const event of events) join.add(event);
  const rows: ExportRow[] = [];
  for (const event of events) {
    if (event.type === "ProposalSampled") {
      rows.push({
        ...position(event.seq, event.id, "proposer", event.payload),
        prompt: formats.proposerPrompt(event.payload.topic),
        output: event.payload.text,
        render: noRender,
        answers: null,
        ...rewardFields(join.rewards.get(event.id)?.[0]),
      });
    } else if (event.type === "CodeSampled") {
      const proposal = join.proposals.get(event.payload.proposalId)?.proposal ?? null;
      const image = join.imageOfCode.get(event.id);
      rows.push({
        ...position(event.seq, event.id, "coder", event.payload),
        prompt: proposal === null ? null : formats.coderPrompt(proposal),
        output: event.payload.text,
        render: join.renders.get(event.id) ?? noRender,
        answers: image === undefined ? null : (join.judging.get(image) ?? null),
        ...rewardFields(join.rewards.get(event.id)?.[0]),
      });
    } else if (event.type === "AnswersSampled" && event.payload.purpose !== "judge") {
      const rewards = join.rewards.get(event.id) ?? [];
      event.payload.samples.forEach((sample, index) => {
        rows.push({
          ...position(event.seq, `${event.id}/${index}`, "solver", event.payload),
          prompt: formats.solverPrompt(event.payload.questionText),
          output: sample.text,
          render: noRender,
          answers: { answer: sample.answer, formatOk: sample.formatOk },
          ...rewardFields(rewards.find((reward) => reward.role === "solver" && reward.sampleIndex === index)),
        });
      });
    }
  }
  return rows;
}
