import type { PolicyRole } from "../../events/index.ts";
import type { ScheduleUnit } from "../schedule.ts";
import { buildCoderPrompts, runCoderStep } from "./coder-phase.ts";
import type { LoopRun } from "./context.ts";
import { evaluateBenchmark } from "./evaluate.ts";
import { runProposerStep } from "./proposer-phase.ts";
import { buildSolverDataset, runSolverStep } from "./solver-phase.ts";

/** Runs one schedule unit; its last recorded event is the unit's marker (see schedule.ts). */
export async function executeUnit(run: LoopRun, unit: ScheduleUnit): Promise<void> {
  run.progress.unit(describeUnit(unit), unit);
  switch (unit.kind) {
    case "start":
      return; // RunStarted is recorded by the runtime before the coordinator starts.
    case "evaluate":
      return evaluateBenchmark(run, unit.iteration);
    case "iterationStart":
      await run.record([
        marker(run, `iteration/${unit.iteration}/start`, "IterationStarted", { iteration: unit.iteration }),
      ]);
      return;
    case "phaseStart":
      return startPhase(run, unit.iteration, unit.phase);
    case "step":
      return runStep(run, unit.iteration, unit.phase, unit.step);
    case "phaseEnd":
      await run.record([
        marker(run, `phase/${unit.iteration}/${unit.phase}/end`, "PhaseCompleted", {
          iteration: unit.iteration,
          phase: unit.phase,
          weightHash: run.policies.current[unit.phase],
          logChainHead: await run.recorder.chainHead(),
        }),
      ]);
      return;
    case "iterationEnd":
      await run.record([
        marker(run, `iteration/${unit.iteration}/end`, "IterationCompleted", {
          iteration: unit.iteration,
          logChainHead: await run.recorder.chainHead(),
        }),
      ]);
      return;
    case "complete":
      await run.record([
        marker(run, "run/complete", "RunCompleted", {
          iterations: run.config.iterations,
          policies: run.policies.current,
          logChainHead: await run.recorder.chainHead(),
        }),
      ]);
      return;
    default: {
      const unreachable: never = unit;
      throw new Error(`unknown schedule unit ${JSON.stringify(unreachable)}`);
    }
  }
}

function marker<Type extends "IterationStarted" | "IterationCompleted" | "PhaseCompleted" | "RunCompleted">(
  run: LoopRun,
  logicalKey: string,
  type: Type,
  payload: import("../../events/index.ts").PayloadOf<Type>,
) {
  return { type, producer: run.producer("coordinator"), logicalKey, payload } as const;
}

async function startPhase(run: LoopRun, iteration: number, phase: PolicyRole): Promise<void> {
  if (phase === "coder") await buildCoderPrompts(run, iteration);
  if (phase === "solver") await buildSolverDataset(run, iteration);
  await run.record([
    {
      type: "PhaseStarted",
      producer: run.producer("coordinator"),
      logicalKey: `phase/${iteration}/${phase}/start`,
      payload: { iteration, phase, steps: run.config[phase].steps, policies: run.policies.current },
    },
  ]);
}

function runStep(run: LoopRun, iteration: number, phase: PolicyRole, step: number): Promise<void> {
  switch (phase) {
    case "proposer":
      return runProposerStep(run, iteration, step);
    case "coder":
      return runCoderStep(run, iteration, step);
    case "solver":
      return runSolverStep(run, iteration, step);
  }
}

export function describeUnit(unit: ScheduleUnit): string {
  switch (unit.kind) {
    case "step":
      return `iteration ${unit.iteration} · ${unit.phase} · step ${unit.step + 1}`;
    case "phaseStart":
      return `iteration ${unit.iteration} · ${unit.phase} phase starts`;
    case "phaseEnd":
      return `iteration ${unit.iteration} · ${unit.phase} phase done`;
    case "evaluate":
      return unit.iteration === 0
        ? "benchmark: base Solver"
        : `benchmark: Solver after iteration ${unit.iteration}`;
    case "iterationStart":
      return `iteration ${unit.iteration} starts`;
    case "iterationEnd":
      return `iteration ${unit.iteration} done`;
    default:
      return unit.kind;
  }
}
