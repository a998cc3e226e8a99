import type { RunConfig } from "../../config/run-config.ts";
import type { MmzeroEvent, PolicyRole } from "../../events/index.ts";
import type { GrpoConfig, Proposal, RewardConfig } from "../../rewards/index.ts";
import type { LoopServices } from "../ports.ts";
import type { EventSpec, Recorder } from "../recorder.ts";
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

export interface BenchmarkItem {
  readonly id: string;
  readonly svg: string;
  readonly question: string;
  readonly answer: string;
  readonly contentType: string;
  readonly level: string;
}

/**
 * Everything a schedule unit needs: configuration, the recorder (the only way events enter the log),
 * the services (models, trainer, renderer behind the bus) and the policy fold kept current as events
 * are recorded.
 */
export class LoopRun {
  private policyState: PolicyState;

  constructor(
    readonly config: RunConfig,
    readonly rewards: RewardConfig,
    readonly rewardConfigHash: string,
    readonly grpo: GrpoConfig,
    readonly recorder: Recorder,
    readonly services: LoopServices,
    readonly formats: RoleFormats,
    readonly benchmark: { readonly items: readonly BenchmarkItem[]; readonly hash: string },
    readonly progress: ProgressSink,
    policies: PolicyState,
  ) {
    this.policyState = policies;
  }

  get policies(): PolicyState {
    return this.policyState;
  }

  producer(role: PolicyRole | "coordinator" | "renderer" | "scorer" | "trainer" | "evaluator") {
    const version =
      role === "proposer" || role === "coder" || role === "solver" ? this.policyState.versions[role] : 0;
    return { role, version } as const;
  }

  async record(specs: readonly EventSpec[]): Promise<readonly MmzeroEvent[]> {
    const events = await this.recorder.record(specs);
    for (const event of events) this.policyState = applyPolicyEvent(this.policyState, event);
    return events;
  }
}
