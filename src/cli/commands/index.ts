import type { Command } from "commander";
import { registerDaemonCommand } from "./daemon.ts";
import { registerEvalCommand } from "./eval.ts";
import { registerExperimentCommand } from "./experiment.ts";
import { registerLogCommand } from "./log.ts";
import { registerPretrainCommand } from "./pretrain.ts";
import { registerRenderCommand } from "./render.ts";
import { registerReplayCommand } from "./replay.ts";
import { registerReportCommand } from "./report.ts";
import { registerRescoreCommand } from "./rescore.ts";
import { registerRunCommand } from "./run.ts";
import { registerSubmitCommand } from "./submit.ts";
import { registerWorkerCommand } from "./worker.ts";

/**
 * Every `mmzero` subcommand registers itself here: one module per command under src/cli/commands/.
 * Add one import and one array entry per command.
 */
export const commandRegistrations: ReadonlyArray<(program: Command) => void> = [
  registerRunCommand,
  registerLogCommand,
  registerReplayCommand,
  registerRescoreCommand,
  registerRenderCommand,
  registerWorkerCommand,
  registerDaemonCommand,
  registerSubmitCommand,
  registerPretrainCommand,
  registerEvalCommand,
  registerReportCommand,
  registerExperimentCommand,
];
