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

export interface LivenessInput {
  /** The running run and when it last made progress, or null. */
  readonly running: { readonly runId: string; readonly lastProgressMs: number } | null;
  readonly nowMs: number;
  /** Quiet time after which the process counts as stuck (a supervisor should restart it); 0: never. */
  readonly stallLimitMs: number;
}

export interface Liveness {
  readonly alive: boolean;
  /** "alive" or "stalled": the `status` of /healthz. */
  readonly status: "alive" | "stalled";
  readonly reason: string;
}

/**
 * Liveness (/healthz) fails only when a run is stuck past the stall limit: a restart then cuts the run
 * and resumes it from its log, re-executing the stuck unit. Idle and draining daemons are alive. The
 * limit is meant to be well above the readiness window: a failed liveness probe restarts the process.
 */
export function livenessOf(input: LivenessInput): Liveness {
  if (input.running === null) return { alive: true, status: "alive", reason: "no run running" };
  const quietMs = Math.max(0, input.nowMs - input.running.lastProgressMs);
  if (input.stallLimitMs > 0 && quietMs > input.stallLimitMs)
    return {
      alive: false,
      status: "stalled",
      reason: `run ${input.running.runId} made no progress for ${Math.round(quietMs)} ms (limit ${input.stallLimitMs} ms): restart the daemon; the run resumes from its log`,
    };
  return {
    alive: true,
    status: "alive",
    reason: `running ${input.running.runId}: last progress ${Math.round(quietMs)} ms ago`,
  };
}
