import { createActor, fromPromise, toPromise } from "xstate";
import type { RunConfig } from "../config/index.ts";
import { SampleGraph } from "../decisions/index.ts";
import { canonicalJson, type EventSpec, sha256Hex } from "../events/index.ts";
import type { GrpoConfig, RewardConfig } from "../rewards/index.ts";
import type { EventLog } from "../store/index.ts";
import { coordinatorMachine } from "./coordinator-machine.ts";
import { type EvaluationItem, LoopRun, type ProgressSink, type RoleFormats } from "./loop/context.ts";
import { type BasePolicy, initialPolicyState, type PolicyState } from "./loop/policy-state.ts";
import { completedUnitKey, resumeFold } from "./loop/resume.ts";
import { executeUnit } from "./loop/units.ts";
import type { LoopServices } from "./ports.ts";
import { type Clock, type Recorder, RunRecorder } from "./recorder.ts";
import { isRecoverableFailure } from "./recoverable.ts";
import { buildSchedule, resumeIndex, type ScheduleUnit } from "./schedule.ts";

export const engineVersion = "0.1.0";

/** A run directory already holds another run, or a resume does not match the recorded run. */
export class RunMismatchError extends Error {
  override readonly name = "RunMismatchError";
}

/** The run id is a function of the resolved config: the same config and seed give the same event hashes. */
export function runIdOf(config: RunConfig): string {
  return `${config.preset}-${sha256Hex(canonicalJson(config)).slice(0, 12)}`;
}

/** What defines a run's logic: everything but where its events go. */
export interface LoopDefinition {
  readonly config: RunConfig;
  readonly rewards: RewardConfig;
  readonly grpo: GrpoConfig;
  readonly services: LoopServices;
  readonly formats: RoleFormats;
  readonly benchmark: { readonly items: readonly EvaluationItem[]; readonly hash: string };
  readonly base: BasePolicy;
  readonly backend: {
    readonly name: string;
    readonly version: string;
    readonly threads: number;
    readonly simd: boolean;
  };
  readonly progress: ProgressSink;
}

export interface LoopInputs extends LoopDefinition {
  readonly log: EventLog;
  readonly clock: Clock;
  /** Continue a run whose log already has events; without it a non-empty log is an error. */
  readonly resume: boolean;
  /**
   * A cooperative stop (the daemon's drain): once aborted, the walk ends before the next schedule
   * unit starts, with status "stopped" and nothing recorded, so the log resumes like any cut run.
   */
  readonly stopSignal?: AbortSignal;
}

export interface LoopFailure {
  readonly name: string;
  readonly message: string;
  /**
   * A fault of the environment (see recoverable.ts): not recorded in the log, so a resume ends with
   * the content hashes of a fault-free run. False: recorded as RunFailed.
   */
  readonly recoverable: boolean;
}

export interface LoopOutcome {
  /** "stopped": the stop signal ended the walk between units; the run is unfinished and resumable. */
  readonly status: "completed" | "failed" | "stopped";
  readonly resumedFromUnit: number;
  readonly failure: LoopFailure | null;
}

/** The run's first event: its resolved configuration, seed, generator and backend. */
export function runStartedSpec(definition: LoopDefinition): EventSpec<"RunStarted"> {
  const { config, rewards, grpo, base } = definition;
  return {
    type: "RunStarted",
    producer: { role: "coordinator", version: 0 },
    logicalKey: "run/start",
    payload: {
      config: JSON.parse(canonicalJson({ run: config, rewards, grpo, base })),
      seed: config.seed,
      rngAlgorithm: "threefry2x32-20",
      backend: definition.backend,
      engineVersion,
    },
  };
}

/** The run's schedule of units, from its configuration (hosts show progress against it). */
export function scheduleOf(config: RunConfig) {
  return buildSchedule({
    iterations: config.iterations,
    steps: { proposer: config.proposer.steps, coder: config.coder.steps, solver: config.solver.steps },
  });
}

function loopRunOf(
  definition: LoopDefinition,
  recorder: Recorder,
  policies: PolicyState,
  graph: SampleGraph,
): LoopRun {
  return new LoopRun(
    definition.config,
    { rewards: definition.rewards, grpo: definition.grpo },
    recorder,
    definition.services,
    definition.formats,
    definition.benchmark,
    definition.progress,
    policies,
    graph,
  );
}

/** Thrown into the coordinator instead of starting a unit once a stop was requested; never recorded. */
class WalkStoppedError extends Error {
  override readonly name = "WalkStoppedError";
}

/**
 * Lets the Coordinator actor walk the schedule from `startIndex`; resolves when it completes, fails,
 * or (with `stopSignal` aborted) stops before the next unit.
 */
async function walkSchedule(
  run: LoopRun,
  units: readonly ScheduleUnit[],
  startIndex: number,
  stopSignal?: AbortSignal,
): Promise<LoopOutcome> {
  let stopped = false;
  let unitError: unknown;
  const coordinator = createActor(
    coordinatorMachine.provide({
      actors: {
        executeUnit: fromPromise(async ({ input }) => {
          if (stopSignal?.aborted === true) {
            stopped = true;
            throw new WalkStoppedError(`stop requested before unit ${JSON.stringify(input)}`);
          }
          // The error itself (its code, its class) decides whether the failure is recoverable.
          return executeUnit(run, input).catch((error: unknown) => {
            unitError = error;
            throw error;
          });
        }),
      },
    }),
    { input: { units, startIndex } },
  );
  coordinator.start();
  await toPromise(coordinator).catch(() => undefined);
  const snapshot = coordinator.getSnapshot();
  if (snapshot.value === "completed")
    return { status: "completed", resumedFromUnit: startIndex, failure: null };
  if (stopped) return { status: "stopped", resumedFromUnit: startIndex, failure: null };
  const failure = snapshot.context.failure ?? {
    name: "Error",
    message: "the coordinator stopped without a result",
  };
  return {
    status: "failed",
    resumedFromUnit: startIndex,
    failure: { ...failure, recoverable: isRecoverableFailure(unitError) },
  };
}

/**
 * Runs (or resumes) the MM-Zero loop: folds the log to find where the run stands, then lets the
 * Coordinator actor walk the remaining schedule units. Returns when the run completes or fails; a
 * permanent failure is recorded as RunFailed before returning, a recoverable one is not (the log is
 * left as a crash leaves it, and a resume ends with a fault-free run's content hashes).
 */
export async function runLoop(inputs: LoopInputs): Promise<LoopOutcome> {
  // One pass over the log: where the run stands, the graph of the iteration under way (it forgets
  // each completed one as it folds), and the recorder's tail for the cut unit; no more is held.
  const resume = resumeFold(inputs.base);
  const graph = new SampleGraph({ forgetCompletedIterations: true });
  const recorder = await RunRecorder.open(inputs.log, inputs.clock, {
    observe(recorded) {
      resume.observe(recorded);
      graph.add(recorded.event);
    },
    endsUnit: (event) => completedUnitKey(event) !== null,
  });
  const openedCount = recorder.eventsWhenOpened;
  if (openedCount > 0 && !inputs.resume) {
    throw new RunMismatchError(
      `run ${inputs.log.runId} already has events: pass --resume to continue it, or choose another --out`,
    );
  }
  // On resume this re-derives the same RunStarted; the recorder checks it matches the recorded one.
  await recorder.record([runStartedSpec(inputs)]);
  const point = resume.point();
  recorder.resumeAfterLastMarker();
  const units = scheduleOf(inputs.config);
  const startIndex = resumeIndex(units, new Set([...point.completed, "start"]));
  const outcome = await walkSchedule(
    loopRunOf(inputs, recorder, point.policies, graph),
    units,
    startIndex,
    inputs.stopSignal,
  );
  if (outcome.failure !== null && !outcome.failure.recoverable) {
    await recorder.record([
      {
        type: "RunFailed",
        producer: { role: "coordinator", version: 0 },
        logicalKey: `run/failed/${openedCount}`,
        payload: { errorName: outcome.failure.name, message: outcome.failure.message },
      },
    ]);
  }
  return outcome;
}

/**
 * Re-executes a whole run from its start through a recorder that checks each produced event
 * against the log instead of writing it (replay verify). A divergence fails the walk.
 */
export async function replayLoop(definition: LoopDefinition, recorder: Recorder): Promise<LoopOutcome> {
  await recorder.record([runStartedSpec(definition)]);
  const units = scheduleOf(definition.config);
  const startIndex = resumeIndex(units, new Set(["start"]));
  return walkSchedule(
    loopRunOf(
      definition,
      recorder,
      initialPolicyState(definition.base),
      new SampleGraph({ forgetCompletedIterations: true }),
    ),
    units,
    startIndex,
  );
}
