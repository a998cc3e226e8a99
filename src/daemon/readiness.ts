/**
 * Readiness means making progress, not just being alive: a daemon whose run has appended nothing and
 * started no unit for a whole window is stalled (a hung model call, a lost NATS worker), and a
 * load balancer or supervisor should know.
 */
export interface ReadinessInput {
  readonly draining: boolean;
  /** The running run and when it last made progress (an appended event or a unit start), or null. */
  readonly running: { readonly runId: string; readonly lastProgressMs: number } | null;
  /** Runs waiting to start. */
  readonly waiting: number;
  readonly nowMs: number;
  /** Longest quiet time of a running run that still counts as progress. */
  readonly stallWindowMs: number;
}

export interface Readiness {
  readonly ready: boolean;
  /** Why, for people: the body of /readyz. */
  readonly reason: string;
}

export function readinessOf(input: ReadinessInput): Readiness {
  if (input.draining) return { ready: false, reason: "draining: finishing the current unit before exit" };
  if (input.running === null) {
    return input.waiting === 0
      ? { ready: true, reason: "idle: no run queued" }
      : { ready: false, reason: `${input.waiting} run(s) queued but none is running` };
  }
  const quietMs = Math.max(0, input.nowMs - input.running.lastProgressMs);
  if (quietMs > input.stallWindowMs) {
    return {
      ready: false,
      reason: `stalled: run ${input.running.runId} made no progress for ${Math.round(quietMs)} ms (window ${input.stallWindowMs} ms)`,
    };
  }
  return {
    ready: true,
    reason: `running ${input.running.runId}: last progress ${Math.round(quietMs)} ms ago`,
  };
}
