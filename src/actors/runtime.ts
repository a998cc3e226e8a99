import { createActor, fromPromise, toPromise } from "xstate";
import type { RunConfig } from "../config/run-config.ts";
import { canonicalJson, sha256Hex } from "../events/index.ts";
import type { GrpoConfig, RewardConfig } from "../rewards/index.ts";
import type { EventLog } from "../store/index.ts";
import { coordinatorMachine } from "./coordinator-machine.ts";
import { type BenchmarkItem, LoopRun, type ProgressSink, type RoleFormats } from "./loop/context.ts";
import type { BasePolicy } from "./loop/policy-state.ts";
import { resumePoint } from "./loop/resume.ts";
import { executeUnit } from "./loop/units.ts";
import type { LoopServices } from "./ports.ts";
import { type Clock, RunRecorder } from "./recorder.ts";
import { buildSchedule, resumeIndex } from "./schedule.ts";

export const engineVersion = "0.1.0";

/** A run directory already holds another run, or a resume does not match the recorded run. */
export class RunMismatchError extends Error {
  override readonly name = "RunMismatchError";
}

/** The run id is a function of the resolved config: the same config and seed give the same event hashes. */
export function runIdOf(config: RunConfig): string {
  return `${config.preset}-${sha256Hex(canonicalJson(config)).slice(0, 12)}`;
}

export interface LoopInputs {
  readonly config: RunConfig;
  readonly rewards: RewardConfig;
  readonly grpo: GrpoConfig;
  readonly log: EventLog;
  readonly services: LoopServices;
  readonly formats: RoleFormats;
  readonly benchmark: { readonly items: readonly BenchmarkItem[]; readonly hash: string };
  readonly base: BasePolicy;
  readonly backend: {
    readonly name: string;
    readonly version: string;
    readonly threads: number;
    readonly simd: boolean;
  };
  readonly progress: ProgressSink;
  readonly clock: Clock;
  /** Continue a run whose log already has events; without it a non-empty log is an error. */
  readonly resume: boolean;
}

export interface LoopOutcome {
  readonly status: "completed" | "failed";
  readonly resumedFromUnit: number;
  readonly failure: { readonly name: string; readonly message: string } | null;
}

/** Records RunStarted for a new run, or checks that a resumed log belongs to this config. */
async function startOrCheck(inputs: LoopInputs, recorder: RunRecorder, hasEvents: boolean): Promise<void> {
  const payload = {
    config: JSON.parse(
      canonicalJson({ run: inputs.config, rewards: inputs.rewards, grpo: inputs.grpo, base: inputs.base }),
    ),
    seed: inputs.config.seed,
    rngAlgorithm: "threefry2x32-20" as const,
    backend: inputs.backend,
    engineVersion,
  };
  if (hasEvents && !inputs.resume) {
    throw new RunMismatchError(
      `run ${inputs.log.runId} already has events: pass --resume to continue it, or choose another --out`,
    );
  }
  // On resume this re-derives the same RunStarted; the recorder checks it matches the recorded one.
  await recorder.record([
    { type: "RunStarted", producer: { role: "coordinator", version: 0 }, logicalKey: "run/start", payload },
  ]);
}

/**
 * Runs (or resumes) the MM-Zero loop: folds the log to find where the run stands, then lets the
 * Coordinator actor walk the remaining schedule units. Returns when the run completes or fails;
 * a failure is recorded as RunFailed before returning.
 */
export async function runLoop(inputs: LoopInputs): Promise<LoopOutcome> {
  const recorder = await RunRecorder.open(inputs.log, inputs.clock);
  const recorded = [];
  for await (const event of inputs.log.read()) recorded.push(event);
  await startOrCheck(inputs, recorder, recorded.length > 0);
  const point = resumePoint(recorded, inputs.base);
  const config = inputs.config;
  const units = buildSchedule({
    iterations: config.iterations,
    steps: { proposer: config.proposer.steps, coder: config.coder.steps, solver: config.solver.steps },
  });
  const startIndex = resumeIndex(units, new Set([...point.completed, "start"]));
  const run = new LoopRun(
    config,
    inputs.rewards,
    sha256Hex(canonicalJson(inputs.rewards)),
    inputs.grpo,
    recorder,
    inputs.services,
    inputs.formats,
    inputs.benchmark,
    inputs.progress,
    point.policies,
  );
  const coordinator = createActor(
    coordinatorMachine.provide({
      actors: { executeUnit: fromPromise(({ input }) => executeUnit(run, input)) },
    }),
    { input: { units, startIndex } },
  );
  coordinator.start();
  await toPromise(coordinator).catch(() => undefined);
  const snapshot = coordinator.getSnapshot();
  if (snapshot.value === "completed")
    return { status: "completed", resumedFromUnit: startIndex, failure: null };
  const failure = snapshot.context.failure ?? {
    name: "Error",
    message: "the coordinator stopped without a result",
  };
  await recorder.record([
    {
      type: "RunFailed",
      producer: { role: "coordinator", version: 0 },
      logicalKey: `run/failed/${recorded.length}`,
      payload: { errorName: failure.name, message: failure.message },
    },
  ]);
  return { status: "failed", resumedFromUnit: startIndex, failure };
}
