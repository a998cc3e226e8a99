/**
 * The sample graph: one fold of the log joining each sample to what it led to, proposal -> codes ->
 * render -> answers, with the rewards, groups, datasets and updates recorded on them. The loop keeps
 * one current as it records (and forgets each iteration once it is done: nothing of an iteration is
 * read by a later one), replay, rescore and report build one from a recorded log in a single pass.
 * Every decision (src/decisions) reads its inputs here, so the loop and rescore see the same joins.
 */
import type { EventOf, EventType, MmzeroEvent, PolicyRole, payloads } from "../events/index.ts";
import { type Proposal, parseProposal } from "../rewards/index.ts";
import { IncompleteLogError } from "./errors.ts";

export type RenderEvent = EventOf<"ImageRendered"> | EventOf<"RenderFailed">;

/** The judge-time (or dataset-time) answers to one rendered image's two questions. */
export interface ImageAnswerEvents {
  readonly easy: EventOf<"AnswersSampled"> | null;
  readonly hard: EventOf<"AnswersSampled"> | null;
}

/** Where samples were drawn: a unit (dataset samples share step 0) and why. */
export interface SampleSlot {
  readonly iteration: number;
  readonly phase: PolicyRole;
  readonly step: number;
  readonly purpose: payloads.SamplePurpose;
}

const noAnswers: ImageAnswerEvents = { easy: null, hard: null };

function slotKey(slot: SampleSlot): string {
  return `${slot.phase}/${slot.step}/${slot.purpose}`;
}

function pushTo<Value>(map: Map<string, Value[]>, key: string, value: Value): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** One iteration's share of the graph; iterations never reference each other's samples. */
class IterationSamples {
  readonly byId = new Map<string, MmzeroEvent>();
  readonly proposals = new Map<string, EventOf<"ProposalSampled">[]>();
  readonly codes = new Map<string, EventOf<"CodeSampled">[]>();
  readonly answers = new Map<string, EventOf<"AnswersSampled">[]>();
  readonly codesByProposal = new Map<string, EventOf<"CodeSampled">[]>();
  readonly renderByCode = new Map<string, RenderEvent>();
  readonly answersByImage = new Map<
    string,
    { easy: EventOf<"AnswersSampled"> | null; hard: EventOf<"AnswersSampled"> | null }
  >();
  readonly rewards: EventOf<"RewardScored">[] = [];
  readonly rewardsBySample = new Map<string, EventOf<"RewardScored">[]>();
  readonly groups: EventOf<"GroupScored">[] = [];
  readonly updates: EventOf<"PolicyUpdated">[] = [];
  readonly datasets = new Map<PolicyRole, EventOf<"DatasetBuilt">>();
}

function isEventOf<Type extends EventType>(event: MmzeroEvent, type: Type): event is EventOf<Type> {
  return event.type === type;
}

export interface SampleGraphOptions {
  /** Drop an iteration's samples once its IterationCompleted is folded in (the loop's bounded memory). */
  readonly forgetCompletedIterations?: boolean;
}

export class SampleGraph {
  readonly #forgetCompleted: boolean;
  readonly #iterations = new Map<number, IterationSamples>();
  /** Iteration of every event held, so a lookup by id finds its iteration's share. */
  readonly #iterationOf = new Map<string, number>();

  constructor(options: SampleGraphOptions = {}) {
    this.#forgetCompleted = options.forgetCompletedIterations ?? false;
  }

  /** A graph of a recorded log, in one pass. */
  static of(events: Iterable<MmzeroEvent>, options: SampleGraphOptions = {}): SampleGraph {
    const graph = new SampleGraph(options);
    for (const event of events) graph.add(event);
    return graph;
  }

  /** Folds one event in; events outside the sample graph (markers, evaluations) are ignored. */
  add(event: MmzeroEvent): void {
    if (this.#forgetCompleted && event.type === "IterationCompleted") {
      for (const iteration of this.iterations())
        if (iteration <= event.payload.iteration) this.forgetIteration(iteration);
      return;
    }
    // A resumed unit re-records events already folded in from the log: fold each once.
    if (this.#iterationOf.has(event.id)) return;
    const iteration = this.#iterationOfEvent(event);
    if (iteration === undefined) return;
    let share = this.#iterations.get(iteration);
    if (share === undefined) {
      share = new IterationSamples();
      this.#iterations.set(iteration, share);
    }
    share.byId.set(event.id, event);
    this.#iterationOf.set(event.id, iteration);
    switch (event.type) {
      case "ProposalSampled":
        pushTo(share.proposals, slotKey(event.payload), event);
        break;
      case "CodeSampled":
        pushTo(share.codes, slotKey(event.payload), event);
        pushTo(share.codesByProposal, event.payload.proposalId, event);
        break;
      case "ImageRendered":
      case "RenderFailed":
        share.renderByCode.set(event.payload.codeId, event);
        break;
      case "AnswersSampled": {
        pushTo(share.answers, slotKey(event.payload), event);
        // Solver rollouts answer dataset images again: they are scored samples, not judgements.
        if (event.payload.purpose === "rollout") break;
        const slot = share.answersByImage.get(event.payload.imageId) ?? { easy: null, hard: null };
        slot[event.payload.question] = event;
        share.answersByImage.set(event.payload.imageId, slot);
        break;
      }
      case "RewardScored":
        share.rewards.push(event);
        pushTo(share.rewardsBySample, event.payload.sampleId, event);
        break;
      case "GroupScored":
        share.groups.push(event);
        break;
      case "PolicyUpdated":
        share.updates.push(event);
        break;
      case "DatasetBuilt":
        share.datasets.set(event.payload.phase, event);
        break;
      default:
        break;
    }
  }

  /** Drops an iteration's samples (the loop calls this when the iteration is done: memory stays bounded). */
  forgetIteration(iteration: number): void {
    const share = this.#iterations.get(iteration);
    if (share === undefined) return;
    for (const id of share.byId.keys()) this.#iterationOf.delete(id);
    this.#iterations.delete(iteration);
  }

  /** Iterations held, ascending. */
  iterations(): number[] {
    return [...this.#iterations.keys()].sort((left, right) => left - right);
  }

  /** The event `id` of type `type`, or {@link IncompleteLogError} naming who needed it. */
  event<Type extends EventType>(id: string, type: Type, neededBy: string): EventOf<Type> {
    const event = this.#held(id);
    if (event === undefined) throw new IncompleteLogError(neededBy, `${type} ${id} is not in the log`);
    if (!isEventOf(event, type))
      throw new IncompleteLogError(neededBy, `event ${id} is ${event.type}, not ${type}`);
    return event;
  }

  /**
   * The event `id` if the graph holds one of type `type` (a log still being written, or a reader
   * such as the report that shows what is there rather than requiring it).
   */
  find<Type extends EventType>(id: string, type: Type): EventOf<Type> | undefined {
    const event = this.#held(id);
    return event !== undefined && isEventOf(event, type) ? event : undefined;
  }

  /** Every proposal held, by iteration, in log order within one. */
  proposals(): Iterable<EventOf<"ProposalSampled">> {
    return this.#allOf("ProposalSampled");
  }

  /** Every code sample held, by iteration, in log order within one. */
  codes(): Iterable<EventOf<"CodeSampled">> {
    return this.#allOf("CodeSampled");
  }

  /** Proposals drawn at a slot, in log order. */
  proposalsAt(slot: SampleSlot): readonly EventOf<"ProposalSampled">[] {
    return this.#share(slot.iteration)?.proposals.get(slotKey(slot)) ?? [];
  }

  /** Code samples drawn at a slot, in log order. */
  codesAt(slot: SampleSlot): readonly EventOf<"CodeSampled">[] {
    return this.#share(slot.iteration)?.codes.get(slotKey(slot)) ?? [];
  }

  /** Answer sets drawn at a slot, in log order. */
  answersAt(slot: SampleSlot): readonly EventOf<"AnswersSampled">[] {
    return this.#share(slot.iteration)?.answers.get(slotKey(slot)) ?? [];
  }

  /** Codes of one purpose written for a proposal, in the order they were sampled. */
  codesOf(proposal: EventOf<"ProposalSampled">, purpose: payloads.SamplePurpose): EventOf<"CodeSampled">[] {
    const codes = this.#share(proposal.payload.iteration)?.codesByProposal.get(proposal.id) ?? [];
    return codes.filter((code) => code.payload.purpose === purpose);
  }

  /**
   * The proposal a ProposalSampled carries, parsed from its text as the loop parses it (the recorded
   * `proposal` field is the same parse; a disagreement means another engine wrote the log).
   */
  proposalOf(event: EventOf<"ProposalSampled">): Proposal | null {
    const parse = parseProposal(event.payload.text);
    if (parse.ok !== (event.payload.proposal !== null)) {
      throw new IncompleteLogError(
        `proposal ${event.id}`,
        "its recorded parse disagrees with this version's parser",
      );
    }
    return parse.ok ? parse.proposal : null;
  }

  renderOf(code: EventOf<"CodeSampled">): RenderEvent {
    const render = this.findRender(code);
    if (render === undefined)
      throw new IncompleteLogError(`code ${code.id}`, "its render outcome is not in the log");
    return render;
  }

  /** A code's render outcome, or undefined while it is not in the log. */
  findRender(code: EventOf<"CodeSampled">): RenderEvent | undefined {
    return this.#share(code.payload.iteration)?.renderByCode.get(code.id);
  }

  /** The judge (or dataset) answers to a render's two questions; none for a failed render. */
  answersOf(render: RenderEvent): ImageAnswerEvents {
    if (render.type !== "ImageRendered") return noAnswers;
    const iteration = this.#iterationOf.get(render.id);
    return (
      (iteration === undefined ? undefined : this.#share(iteration)?.answersByImage.get(render.id)) ??
      noAnswers
    );
  }

  dataset(iteration: number, phase: PolicyRole): EventOf<"DatasetBuilt"> | undefined {
    return this.#share(iteration)?.datasets.get(phase);
  }

  /** Every DatasetBuilt held, by iteration then phase order of recording. */
  datasets(): EventOf<"DatasetBuilt">[] {
    return this.iterations().flatMap((iteration) => [...this.#share(iteration)!.datasets.values()]);
  }

  /** Every RewardScored held, in log order. */
  rewards(): EventOf<"RewardScored">[] {
    return this.iterations().flatMap((iteration) => this.#share(iteration)!.rewards);
  }

  /** The RewardScored events of one sample (one for a proposal or a code, one per response of an answer set). */
  rewardsOf(sampleId: string): readonly EventOf<"RewardScored">[] {
    return this.#share(this.#iterationOf.get(sampleId) ?? Number.NaN)?.rewardsBySample.get(sampleId) ?? [];
  }

  /** Every GroupScored held, in log order. */
  groups(): EventOf<"GroupScored">[] {
    return this.iterations().flatMap((iteration) => this.#share(iteration)!.groups);
  }

  /** Every PolicyUpdated held, in log order. */
  updates(): EventOf<"PolicyUpdated">[] {
    return this.iterations().flatMap((iteration) => this.#share(iteration)!.updates);
  }

  #share(iteration: number): IterationSamples | undefined {
    return this.#iterations.get(iteration);
  }

  #held(id: string): MmzeroEvent | undefined {
    const iteration = this.#iterationOf.get(id);
    return iteration === undefined ? undefined : this.#iterations.get(iteration)?.byId.get(id);
  }

  *#allOf<Type extends EventType>(type: Type): Generator<EventOf<Type>> {
    for (const iteration of this.iterations())
      for (const event of this.#share(iteration)!.byId.values()) if (isEventOf(event, type)) yield event;
  }

  #iterationOfEvent(event: MmzeroEvent): number | undefined {
    switch (event.type) {
      case "ProposalSampled":
      case "CodeSampled":
      case "AnswersSampled":
      case "RewardScored":
      case "GroupScored":
      case "PolicyUpdated":
      case "DatasetBuilt":
        return event.payload.iteration;
      case "ImageRendered":
      case "RenderFailed":
        // A render belongs to its code's iteration (renders carry no position of their own).
        return this.#iterationOf.get(event.payload.codeId);
      default:
        return undefined;
    }
  }
}
