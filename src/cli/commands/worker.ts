import type { Command } from "commander";
import { parseWorkerRoles, workerRoles } from "../../actors/index.ts";
import { startWorkerProcess } from "../../app/index.ts";

interface WorkerFlags {
  readonly roles: string;
  readonly nats: string;
  readonly renderWorkers: string;
  readonly renderTimeoutMs: string;
}

export function registerWorkerCommand(program: Command): void {
  program
    .command("worker")
    .description(
      "Serve work for runs on a NATS server: sampling for the named roles, GRPO updates (trainer) or renders, taken from NATS queue groups. Runs until SIGTERM/SIGINT, then finishes the requests in hand.",
    )
    .requiredOption("--nats <url>", "NATS server URL (JetStream enabled)")
    .option("-r, --roles <roles>", `comma-separated: ${workerRoles.join(", ")}`, "coder,solver,render")
    .option("--render-workers <n>", "render child processes (render role)", "1")
    .option("--render-timeout-ms <ms>", "per-render wall-clock limit", "2000")
    .action(async (flags: WorkerFlags) => {
      const worker = await startWorkerProcess({
        natsUrl: flags.nats,
        roles: parseWorkerRoles(flags.roles),
        renderWorkers: Number(flags.renderWorkers),
        renderTimeoutMs: Number(flags.renderTimeoutMs),
      });
      process.stderr.write(
        `mmzero worker: serving ${worker.roles.join(", ")} on ${flags.nats} (backend ${worker.backend})\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          process.stderr.write(`mmzero worker: ${signal}, draining\n`);
          resolve();
        };
        process.once("SIGTERM", () => stop("SIGTERM"));
        process.once("SIGINT", () => stop("SIGINT"));
      });
      await worker.drain();
      process.stderr.write("mmzero worker: stopped\n");
    });
}
