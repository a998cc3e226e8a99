import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Clock, ProgressSink } from "../actors/index.ts";
import { runSession } from "../app/index.ts";
import { readFileLogReadOnly } from "../store/index.ts";
import type { Configuration, ExperimentPlan, PlannedRun } from "./plan.ts";

/**
 * Runs an experiment's runs: finished ones are reused, interrupted ones resumed from their log, the
 * rest started. Sequentially in this process (the run command's own session code), or with
 * `parallel` > 1 as `mmzero run` child processes, each writing its console output to <run>.log.
 */

/** "completed": the log ends the run; "partial": a log without RunCompleted (resumed); "absent": no log. */
export type RunState = "completed" | "partial" | "absent";

export class ExperimentRunError extends Error {
  override readonly name = "ExperimentRunError";
}

export async function runState(dir: string): Promise<RunState> {
  try {
    if (!(await stat(join(dir, "events"))).isDirectory()) return "absent";
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return "absent";
    throw error;
  }
  let state: RunState = "partial";
  for await (const { event } of readFileLogReadOnly(join(dir, "events"))) {
    if (event.type === "RunCompleted") state = "completed";
  }
  return state;
}

export interface RunEvents {
  /** A run is about to start (or resume); `reused` runs are reported too. */
  readonly started: (run: PlannedRun, state: RunState) => void;
  readonly finished: (run: PlannedRun, reused: boolean) => void;
  /** A unit of a run in this process began (sequential mode only). */
  readonly unit: (run: PlannedRun, description: string) => void;
}

export interface ExecuteOptions {
  readonly plan: ExperimentPlan;
  readonly parallel: number;
  readonly clock: Clock;
  readonly events: RunEvents;
}

const binPath = resolve(import.meta.dirname, "../../bin/mmzero.js");

function runArguments(run: PlannedRun, configuration: Configuration, state: RunState): string[] {
  return [
    binPath,
    "run",
    "--preset",
    configuration.preset,
    ...(configuration.configPath === null ? [] : ["--config", configuration.configPath]),
    "--seed",
    run.seed,
    ...(state === "partial" ? ["--resume", run.dir] : ["--out", run.dir]),
  ];
}

async function runChild(run: PlannedRun, configuration: Configuration, state: RunState): Promise<void> {
  await mkdir(run.dir, { recursive: true });
  const logPath = `${run.dir}.log`;
  const output = createWriteStream(logPath, { flags: "a" });
  await new Promise<void>((done) => output.once("open", () => done()));
  const child = spawn(process.execPath, runArguments(run, configuration, state), {
    stdio: ["ignore", output, output],
  });
  const code = await new Promise<number | null>((done, fail) => {
    child.once("error", fail);
    child.once("exit", (exitCode) => done(exitCode));
  });
  output.close();
  if (code !== 0)
    throw new ExperimentRunError(
      `run ${run.runId} (${run.configuration}, seed ${run.seed}) exited with code ${code}; its output is in ${logPath}`,
    );
}

async function runInProcess(run: PlannedRun, state: RunState, options: ExecuteOptions): Promise<void> {
  const progress: ProgressSink = {
    unit: (description) => options.events.unit(run, description),
    metrics: () => {},
  };
  const result = await runSession({
    config: run.config,
    outDir: run.dir,
    resume: state === "partial",
    progress,
    clock: options.clock,
  });
  if (result.status !== "completed")
    throw new ExperimentRunError(
      `run ${run.runId} (${run.configuration}, seed ${run.seed}) ended ${result.status}; resume the experiment to continue it`,
    );
}

/** Every planned run, finished: reused, resumed or run. */
export async function executeRuns(options: ExecuteOptions): Promise<void> {
  const configurations = new Map(options.plan.configurations.map((entry) => [entry.name, entry]));
  const queue = [...options.plan.runs];
  let failed = false;
  const worker = async () => {
    // After a failure no new run starts; those running finish.
    for (let run = queue.shift(); run !== undefined && !failed; run = queue.shift()) {
      const state = await runState(run.dir);
      options.events.started(run, state);
      if (state !== "completed") {
        try {
          if (options.parallel > 1) await runChild(run, configurations.get(run.configuration)!, state);
          else await runInProcess(run, state, options);
        } catch (error) {
          failed = true;
          throw error;
        }
      }
      options.events.finished(run, state === "completed");
    }
  };
  await settleAll(Array.from({ length: Math.max(1, options.parallel) }, worker));
}

/**
 * Waits for every task, then throws the first failure: one failed child must not leave the others
 * running unwatched after the command exits.
 */
export async function settleAll(tasks: readonly Promise<void>[]): Promise<void> {
  const outcomes = await Promise.allSettled(tasks);
  const failure = outcomes.find((outcome) => outcome.status === "rejected");
  if (failure !== undefined) throw failure.reason;
}
