import type { Command } from "commander";
import { foldRun, type RecordedRun, readRecordedRun, verifyRun } from "../../replay/index.ts";
import { natsSourceOption, type RunSourceFlags, runIdOption, withRunSource } from "../run-source.ts";
import { createConsoleProgress } from "../ui/progress.ts";

interface ReplayFlags extends RunSourceFlags {
  readonly mode: string;
  readonly resample?: boolean;
  readonly json?: boolean;
}

function rate(value: number | null): string {
  return value === null ? "n/a" : `${Math.round(value).toLocaleString("en")} events/s`;
}

/**
 * Says that the log ends in a partial record (a writer mid-append, or a torn write that the next
 * `run --resume` cuts off): replay reads the events before it and repairs nothing.
 */
function reportIncompleteTail(tail: RecordedRun["incompleteTail"]): void {
  if (tail === null) return;
  process.stderr.write(
    `mmzero replay: the last record at ${tail.segment}:${tail.offset} is incomplete (${tail.reason}); replaying the events before it (a writer may still be appending; otherwise \`run --resume\` cuts it off)\n`,
  );
}

async function replayCommand(runDir: string, flags: ReplayFlags): Promise<void> {
  if (flags.mode !== "fold" && flags.mode !== "verify")
    throw new Error(`--mode must be fold or verify, not "${flags.mode}"`);
  const run = await readRecordedRun(runDir);
  reportIncompleteTail(run.incompleteTail);
  const fold = foldRun(run);
  if (flags.mode === "fold") {
    const mismatch = fold.anchors.firstMismatch;
    if (mismatch !== null) process.exitCode = 1;
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(fold)}\n`);
      return;
    }
    if (mismatch !== null) {
      process.stdout.write(
        `fold ${runDir}: hash chain broken: ${mismatch.type} at seq ${mismatch.seq} anchors ${mismatch.recorded.slice(0, 16)}, the events before it chain to ${mismatch.recomputed.slice(0, 16)}; an event before seq ${mismatch.seq} was altered (replay --mode verify names it)\n`,
      );
    }
    process.stdout.write(
      `${[
        `fold ${runDir}: ${fold.events} events, chain head ${fold.chainHead}`,
        `  chain     ${fold.anchors.checked} anchors checked${mismatch === null ? ", all match" : ", BROKEN"}`,
        `  completed units ${fold.completedUnits}${fold.finished ? " (run finished)" : " (run unfinished)"}`,
        `  policies  proposer ${fold.policies.current.proposer.slice(0, 12)}  coder ${fold.policies.current.coder.slice(0, 12)}  solver ${fold.policies.current.solver.slice(0, 12)}`,
        `  speed     fold ${rate(fold.foldEventsPerSecond)}; original run ${rate(fold.originalEventsPerSecond)}` +
          (fold.originalEventsPerSecond === null
            ? ""
            : ` (${(fold.foldEventsPerSecond / fold.originalEventsPerSecond).toFixed(0)}x)`),
      ].join("\n")}\n`,
    );
    return;
  }
  const result = await verifyRun(run, {
    resample: flags.resample ?? false,
    progress: createConsoleProgress(),
  });
  const verifyRate = result.checked / Math.max(result.seconds, 1e-9);
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({ ...result, divergence: result.divergence && { seq: result.divergence.seq, type: result.divergence.type, ...result.divergence.difference }, eventsPerSecond: verifyRate })}\n`,
    );
  } else if (result.status === "identical") {
    process.stdout.write(
      `verify ${runDir}: identical, ${result.checked} events re-executed and matched in ${result.seconds.toFixed(1)} s (${rate(verifyRate)}; original run ${rate(fold.originalEventsPerSecond)})\n`,
    );
  } else {
    process.stdout.write(
      `verify ${runDir}: ${result.status} after ${result.checked} of ${result.total} events\n`,
    );
    if (result.divergence !== null) process.stdout.write(`  ${result.divergence.message}\n`);
    else if (result.failure !== null)
      process.stdout.write(`  ${result.failure.name}: ${result.failure.message}\n`);
  }
  if (result.status !== "identical") process.exitCode = 1;
}

export function registerReplayCommand(program: Command): void {
  program
    .command("replay")
    .description(
      "Replay a recorded run. fold: rebuild every projection from the log and check the hash chain. verify: re-execute scoring, filtering, datasets, GRPO updates and renders from the recorded inputs and compare event by event (exit 1 at the first divergence).",
    )
    .argument("[run-dir]", "run directory (or use --nats and --run)")
    .option("-m, --mode <mode>", "fold | verify", "fold")
    .option("--resample", "verify: also re-sample the policies instead of reading their samples from the log")
    .option("--json", "print the result as JSON")
    .addOption(natsSourceOption())
    .addOption(runIdOption())
    .action((runDir: string | undefined, flags: ReplayFlags) =>
      withRunSource(runDir, flags, { blobs: true }, (source) => replayCommand(source.directory, flags)),
    );
}
