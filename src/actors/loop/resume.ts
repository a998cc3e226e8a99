import type { MmzeroEvent } from "../../events/index.ts";
import type { RecordedEvent } from "../../store/index.ts";
import { applyPolicyEvent, type BasePolicy, initialPolicyState, type PolicyState } from "./policy-state.ts";

/** The schedule unit a marker event completes (see schedule.ts), or null for other events. */
export function completedUnitKey(event: MmzeroEvent): string | null {
  switch (event.type) {
    case "RunStarted":
      return "start";
    case "BenchmarkEvaluated":
      return `evaluate/${event.payload.iteration}`;
    case "IterationStarted":
      return `iterationStart/${event.payload.iteration}`;
    case "PhaseStarted":
      return `phaseStart/${event.payload.iteration}/${event.payload.phase}`;
    case "StepCompleted":
      return `step/${event.payload.iteration}/${event.payload.phase}/${event.payload.step}`;
    case "PhaseCompleted":
      return `phaseEnd/${event.payload.iteration}/${event.payload.phase}`;
    case "IterationCompleted":
      return `iterationEnd/${event.payload.iteration}`;
    case "RunCompleted":
      return "complete";
    default:
      return null;
  }
}

export interface ResumePoint {
  /** Keys of every completed unit. */
  readonly completed: ReadonlySet<string>;
  /** The policies as of the last completed unit: events of a cut-off unit are re-derived, not applied. */
  readonly policies: PolicyState;
  /** Seq of the last completed unit's marker (0 for an empty log). */
  readonly markerSeq: number;
}

/**
 * Where a run stands, folded one event at a time (a resume reads its log once, holding no more of
 * it than this): the units completed, the policies as of the last marker, and that marker's seq.
 */
export function resumeFold(base: BasePolicy) {
  const completed = new Set<string>();
  let markerSeq = 0;
  let policies = initialPolicyState(base);
  let policiesAtMarker = policies;
  return {
    observe({ event }: RecordedEvent): void {
      policies = applyPolicyEvent(policies, event);
      const key = completedUnitKey(event);
      if (key === null) return;
      completed.add(key);
      markerSeq = event.seq;
      policiesAtMarker = policies;
    },
    point(): ResumePoint {
      return { completed, policies: policiesAtMarker, markerSeq };
    },
  };
}

/** Where a run stands, folded from its log. */
export function resumePoint(recorded: Iterable<RecordedEvent>, base: BasePolicy): ResumePoint {
  const fold = resumeFold(base);
  for (const event of recorded) fold.observe(event);
  return fold.point();
}
