import type { Command } from "commander";

/**
 * Every `mmzero` subcommand, as light metadata: its name, the one line `mmzero --help` lists, and
 * how to load its module. A command's module (options, full description, action and everything it
 * imports) is loaded only when that command runs or its own --help is asked, so `mmzero --help`
 * and `--version` never pay for effect, tfjs or NATS (bench/startup.ts measures it).
 *
 * To add a command: write src/cli/commands/<name>.ts exporting `register<Name>Command(program)`,
 * which declares the command (`program.command("<name>")...`), and add one entry here.
 */
export interface CommandEntry {
  readonly name: string;
  /** One line for the command list of `mmzero --help`. */
  readonly summary: string;
  /** Imports the command's module and returns its register function. */
  readonly load: () => Promise<(program: Command) => void>;
}

export const commandEntries: readonly CommandEntry[] = [
  {
    name: "run",
    summary: "run MM-Zero self-evolution; every sample recorded in the run's event log",
    load: () => import("./run.ts").then((module) => module.registerRunCommand),
  },
  {
    name: "config",
    summary: "print the resolved run configuration, or the JSON Schema of config files",
    load: () => import("./config.ts").then((module) => module.registerConfigCommand),
  },
  {
    name: "log",
    summary: "print a run's events, or its event count and hash-chain head",
    load: () => import("./log.ts").then((module) => module.registerLogCommand),
  },
  {
    name: "replay",
    summary: "rebuild a run's projections (fold) or re-execute it and compare (verify)",
    load: () => import("./replay.ts").then((module) => module.registerReplayCommand),
  },
  {
    name: "rescore",
    summary: "score a recorded run under another reward configuration, without a model",
    load: () => import("./rescore.ts").then((module) => module.registerRescoreCommand),
  },
  {
    name: "export",
    summary: "write a run's metrics, samples or events as JSON lines, CSV or Parquet",
    load: () => import("./export.ts").then((module) => module.registerExportCommand),
  },
  {
    name: "pull",
    summary: "copy a run stored in NATS JetStream (log and blobs) into a run directory",
    load: () => import("./pull.ts").then((module) => module.registerPullCommand),
  },
  {
    name: "render",
    summary: "render a Coder output (or an SVG file) to PNG through the rendering sandbox",
    load: () => import("./render.ts").then((module) => module.registerRenderCommand),
  },
  {
    name: "worker",
    summary: "serve sampling, GRPO updates or renders for runs on a NATS server",
    load: () => import("./worker.ts").then((module) => module.registerWorkerCommand),
  },
  {
    name: "daemon",
    summary: "serve runs over HTTP (submit, health, readiness, metrics)",
    load: () => import("./daemon.ts").then((module) => module.registerDaemonCommand),
  },
  {
    name: "submit",
    summary: "submit a run to a running `mmzero daemon`",
    load: () => import("./submit.ts").then((module) => module.registerSubmitCommand),
  },
  {
    name: "pretrain",
    summary: "pretrain the base model on the simulated world's corpus",
    load: () => import("./pretrain.ts").then((module) => module.registerPretrainCommand),
  },
  {
    name: "eval",
    summary: "evaluate a Solver on the public benchmark with 95% intervals",
    load: () => import("./eval.ts").then((module) => module.registerEvalCommand),
  },
  {
    name: "report",
    summary: "write a self-contained HTML report of a run",
    load: () => import("./report.ts").then((module) => module.registerReportCommand),
  },
  {
    name: "experiment",
    summary: "run configurations x seeds and compare their Solvers on the benchmark with 95% intervals",
    load: () => import("./experiment.ts").then((module) => module.registerExperimentCommand),
  },
];
