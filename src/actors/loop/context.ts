import type { RunConfig } from "../../config/index.ts";
import { type DecisionConfig, SampleGraph } from "../../decisions/index.ts";
import type { EventOf, EventSpec, EventType, MmzeroEvent, PolicyRole } from "../../events/index.ts";
import type { GrpoConfig, Proposal, RewardConfig } from "../../rewards/index.ts";
import type { LoopServices } from "../ports.ts";
import type { Recorder } from "../recorder.ts";
import type { ScheduleUnit } from "../schedule.ts";
import { applyPolicyEvent, type PolicyState } from "./policy-state.ts";

/** How the roles' prompts look in the world's language (src/world supplies them). */
export interface RoleFormats {
  /** The generic topic strings the Proposer is prompted with (the release uses 8). */
  readonly topics: readonly string[];
  proposerPrompt(topic: string): string;
  coderPrompt(proposal: Proposal): string;
  solverPrompt(question: string): string;
}

/** Progress lines for people (the CLI draws them; tests collect them). */
export interface ProgressSink {
  /** A schedule unit starts; `unit` says which (hosts that only show the text may ignore it). */
  unit(description: string, unit?: ScheduleUnit): void;
  metrics(label: string, values: Readonly<Record<string, number>>): void;
}

/** A benchmark item as the loop evaluates it (loaded from the world's benchmark file by src/app). */
export interface EvaluationItem {
  readonly id: string;
  readonly svg: string;
  readonly question: string;
  readonly answer: string;
  readonly contentType: string;
  readonly level: string;
}

/**
 * Everything a schedule unit needs: configuration, the recorder (the only way events enter the log),
 * the services (models, trainer, renderer behind the bus), and the two folds kept current as events
 * are recorded: the policies and the sample graph the decisions read (src/decisions).
 */
export class LoopRun {
  private policyState: PolicyState;

  constructor(
    readonly config: RunConfig,
    readonly decisions: DecisionConfig,
    readonly recorder: Recorder,
    readonly services: LoopServices,
    readonly formats: RoleFormats,
    readonly benchmark: { readonly items: readonly EvaluationItem[]; readonly hash: string },
    readonly progress: ProgressSink,
    policies: PolicyState,
    /** The samples of the iteration under way (earlier ones are forgotten: no unit reads them). */
    readonly graph: SampleGraph = new SampleGraph({ forgetCompletedIterations: true }),
  ) {
    this.policyState = policies;
  }

  get rewards(): RewardConfig {
    return this.decisions.rewards;
  }

  get grpo(): GrpoConfig {
    return this.decisions.grpo;
  }

  get policies(): PolicyState {
    return this.policyState;
  }

  producer(role: PolicyRole | "coordinator" | "renderer" | "scorer" | "trainer" | "evaluator") {
    const version =
      role === "proposer" || role === "coder" || role === "solver" ? this.policyState.versions[role] : 0;
    return { role, version } as const;
  }

  /** Records events of one or more types; each recorded event comes back with its spec's type. */
  async record<Type extends EventType>(specs: readonly EventSpec<Type>[]): Promise<readonly EventOf<Type>[]> {
    const events = await this.recorder.record(specs);
    return events.map((event, index) => {
      const recordedType: string = event.type;
      if (!isRecordOf(event, specs[index]!))
        throw new Error(`the recorder returned a ${recordedType} out of order`);
      this.policyState = applyPolicyEvent(this.policyState, event);
      this.graph.add(event);
      return event;
    });
  }
}

/** Whether a recorded event is the one its spec asked for (a recorder returns them in spec order). */
function isRecordOf<Type extends EventType>(
  event: MmzeroEvent,
  spec: EventSpec<Type>,
): event is EventOf<Type> {
  return event.type === spec.type;
}
