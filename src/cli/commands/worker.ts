import type { Command } from "commander";
import { parseWorkerRoles, workerRoles } from "../../actors/index.ts";
import { startWorkerProcess, workerDrainDeadlineMsDefault } from "../../app/index.ts";

interface WorkerFlags {
  readonly roles: string;
  readonly nats: string;
  readonly renderWorkers: string;
  readonly renderTimeoutMs: string;
  readonly drainDeadlineMs: string;
}

export function registerWorkerCommand(program: Command): void {
  program
    .command("worker")
    .description(
      "Serve work for runs on a NATS server: sampling for the named roles, GRPO updates (trainer) or renders, taken from NATS queue groups. Runs until SIGTERM/SIGINT, then finishes the requests in hand (within the drain deadline; at once when the server is gone).",
    )
    .requiredOption("--nats <url>", "NATS server URL (JetStream enabled)")
    .option("-r, --roles <roles>", `comma-separated: ${workerRoles.join(", ")}`, "coder,solver,render")
    .option("--render-workers <n>", "render child processes (render role)", "1")
    .option("--render-timeout-ms <ms>", "per-render wall-clock limit", "2000")
    .option(
      "--drain-deadline-ms <ms>",
      "after SIGTERM/SIGINT, how long the requests in hand may take",
      String(workerDrainDeadlineMsDefault),
    )
    .action(async (flags: WorkerFlags) => {
      const drainDeadlineMs = Number(flags.drainDeadlineMs);
      if (!Number.isInteger(drainDeadlineMs) || drainDeadlineMs < 1)
        throw new Error(`--drain-deadline-ms ${flags.drainDeadlineMs} must be a positive whole number`);
      const worker = await startWorkerProcess({
        natsUrl: flags.nats,
        roles: parseWorkerRoles(flags.roles),
        renderWorkers: Number(flags.renderWorkers),
        renderTimeoutMs: Number(flags.renderTimeoutMs),
      });
      // Why the handlers first: a supervisor may signal as soon as it reads the serving line.
      const stopped = new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          process.stderr.write(`mmzero worker: ${signal}, draining\n`);
          resolve();
        };
        process.once("SIGTERM", () => stop("SIGTERM"));
        process.once("SIGINT", () => stop("SIGINT"));
      });
      process.stderr.write(
        `mmzero worker: serving ${worker.roles.join(", ")} on ${flags.nats} (backend ${worker.backend})\n`,
      );
      await stopped;
      const outcome = await worker.drain(drainDeadlineMs);
      if (outcome.drained) {
        process.stderr.write("mmzero worker: stopped\n");
        return;
      }
      process.stderr.write(
        `mmzero worker: ${outcome.reason}: stopped without finishing the requests in hand; runs ask them again\n`,
      );
      // Why exit here: a request handler cut short may still hold timers; the process must not linger.
      process.exit(1);
    });
}
