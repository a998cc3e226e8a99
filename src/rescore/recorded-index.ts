/**
 * An index over a recorded run's events: every input of every reward, found by the ids that link
 * them (proposal -> codes -> render -> answers), so rescoring never re-reads the log.
 */
import type { EventOf, EventType, MmzeroEvent, PolicyRole } from "../events/index.ts";
import { IncompleteLogError } from "./errors.ts";

export type RenderEvent = EventOf<"ImageRendered"> | EventOf<"RenderFailed">;

/** The judge-time (or dataset-time) answers to one rendered image's two questions. */
export interface ImageAnswerEvents {
  readonly easy: EventOf<"AnswersSampled"> | null;
  readonly hard: EventOf<"AnswersSampled"> | null;
}

export interface RecordedIndex {
  readonly byId: ReadonlyMap<string, MmzeroEvent>;
  /** Every ProposalSampled, in log order. */
  readonly proposals: readonly EventOf<"ProposalSampled">[];
  /** Codes written for each proposal id, in log order (all purposes). */
  readonly codesByProposal: ReadonlyMap<string, readonly EventOf<"CodeSampled">[]>;
  readonly renderByCode: ReadonlyMap<string, RenderEvent>;
  /**
   * Judge and dataset answers by image id. Solver rollouts (purpose "rollout") answer dataset images
   * again and are left out: they are the Solver's scored samples, not inputs of a measure.
   */
  readonly answersByImage: ReadonlyMap<string, ImageAnswerEvents>;
  /** Every RewardScored, in log order. */
  readonly rewards: readonly EventOf<"RewardScored">[];
  /** Every GroupScored, in log order. */
  readonly groups: readonly EventOf<"GroupScored">[];
  /** DatasetBuilt by `${iteration}/${phase}`. */
  readonly datasets: ReadonlyMap<string, EventOf<"DatasetBuilt">>;
}

export function datasetKey(iteration: number, phase: PolicyRole): string {
  return `${iteration}/${phase}`;
}

function isEventOf<Type extends EventType>(event: MmzeroEvent, type: Type): event is EventOf<Type> {
  return event.type === type;
}

function pushTo<Value>(map: Map<string, Value[]>, key: string, value: Value): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

export function indexRecordedRun(events: readonly MmzeroEvent[]): RecordedIndex {
  const byId = new Map<string, MmzeroEvent>();
  const proposals: EventOf<"ProposalSampled">[] = [];
  const codesByProposal = new Map<string, EventOf<"CodeSampled">[]>();
  const renderByCode = new Map<string, RenderEvent>();
  const answersByImage = new Map<
    string,
    { easy: EventOf<"AnswersSampled"> | null; hard: EventOf<"AnswersSampled"> | null }
  >();
  const rewards: EventOf<"RewardScored">[] = [];
  const groups: EventOf<"GroupScored">[] = [];
  const datasets = new Map<string, EventOf<"DatasetBuilt">>();
  for (const event of events) {
    byId.set(event.id, event);
    switch (event.type) {
      case "ProposalSampled":
        proposals.push(event);
        break;
      case "CodeSampled":
        pushTo(codesByProposal, event.payload.proposalId, event);
        break;
      case "ImageRendered":
      case "RenderFailed":
        renderByCode.set(event.payload.codeId, event);
        break;
      case "AnswersSampled": {
        if (event.payload.purpose === "rollout") break;
        const slot = answersByImage.get(event.payload.imageId) ?? { easy: null, hard: null };
        slot[event.payload.question] = event;
        answersByImage.set(event.payload.imageId, slot);
        break;
      }
      case "RewardScored":
        rewards.push(event);
        break;
      case "GroupScored":
        groups.push(event);
        break;
      case "DatasetBuilt":
        datasets.set(datasetKey(event.payload.iteration, event.payload.phase), event);
        break;
      default:
        break;
    }
  }
  return { byId, proposals, codesByProposal, renderByCode, answersByImage, rewards, groups, datasets };
}

/** The event `id` of type `type`, or {@link IncompleteLogError} naming who needed it. */
export function recordedEvent<Type extends EventType>(
  index: RecordedIndex,
  id: string,
  type: Type,
  neededBy: string,
): EventOf<Type> {
  const event = index.byId.get(id);
  if (event === undefined) throw new IncompleteLogError(neededBy, `${type} ${id} is not in the log`);
  if (!isEventOf(event, type))
    throw new IncompleteLogError(neededBy, `event ${id} is ${event.type}, not ${type}`);
  return event;
}

export function renderOf(index: RecordedIndex, code: EventOf<"CodeSampled">): RenderEvent {
  const render = index.renderByCode.get(code.id);
  if (render === undefined)
    throw new IncompleteLogError(`code ${code.id}`, "its render outcome is not in the log");
  return render;
}

export function answersOf(index: RecordedIndex, render: RenderEvent): ImageAnswerEvents {
  if (render.type !== "ImageRendered") return { easy: null, hard: null };
  return index.answersByImage.get(render.id) ?? { easy: null, hard: null };
}

export function answerTexts(answers: EventOf<"AnswersSampled">): string[] {
  return answers.payload.samples.map((sample) => sample.answer);
}
