import type { MmzeroEvent, PolicyRole } from "../../events/index.ts";

/**
 * Which weights each role has, as a fold over the log: the runtime applies the same function to
 * events as it records them and to the whole log on resume, so a resumed run knows its policies.
 * The "frozen previous versions" the algorithm judges with are simply the other roles' current
 * weights: phases run one at a time, so only the role being trained moves.
 */
export interface PolicyState {
  /** Weight hash of each role's policy: its identity in events. */
  readonly current: Readonly<Record<PolicyRole, string>>;
  /** Checkpoint blob of each role's policy: what services load. */
  readonly checkpoints: Readonly<Record<PolicyRole, string>>;
  /** Updates applied to each role so far: the producer version of its samples. */
  readonly versions: Readonly<Record<PolicyRole, number>>;
  /** Checkpoint of the trained role at the start of its phase (the KL reference). */
  readonly reference: string | null;
  /** Checkpoint (with optimizer moments) to continue the phase's training from; null right after a phase starts. */
  readonly optimizerState: string | null;
}

export interface BasePolicy {
  readonly weightHash: string;
  readonly checkpoint: string;
}

export function initialPolicyState(base: BasePolicy): PolicyState {
  return {
    current: { proposer: base.weightHash, coder: base.weightHash, solver: base.weightHash },
    checkpoints: { proposer: base.checkpoint, coder: base.checkpoint, solver: base.checkpoint },
    versions: { proposer: 0, coder: 0, solver: 0 },
    reference: null,
    optimizerState: null,
  };
}

export function applyPolicyEvent(state: PolicyState, event: MmzeroEvent): PolicyState {
  switch (event.type) {
    case "PhaseStarted":
      return { ...state, reference: state.checkpoints[event.payload.phase], optimizerState: null };
    case "PolicyUpdated": {
      const role = event.payload.role;
      return {
        ...state,
        current: { ...state.current, [role]: event.payload.weightHash },
        checkpoints: { ...state.checkpoints, [role]: event.payload.checkpoint },
        versions: { ...state.versions, [role]: state.versions[role] + 1 },
        optimizerState: event.payload.optimizerState,
      };
    }
    case "PhaseCompleted":
      return { ...state, reference: null, optimizerState: null };
    default:
      return state;
  }
}
