import type { Command } from "commander";
import { loadGrpoConfig, loadRewardConfig } from "../../app/index.ts";
import { readRecordedRun } from "../../replay/index.ts";
import { rescoreRun } from "../../rescore/index.ts";
import { grpoPresetNames, rewardPresetNames } from "../../rewards/index.ts";
import { natsSourceOption, type RunSourceFlags, runIdOption, withRunSource } from "../run-source.ts";
import { formatRescoreSummary } from "../ui/rescore-summary.ts";

interface RescoreFlags extends RunSourceFlags {
  readonly rewardConfig: string;
  readonly grpo?: string;
  readonly json?: boolean;
}

async function rescoreCommand(runDir: string, flags: RescoreFlags): Promise<void> {
  const run = await readRecordedRun(runDir);
  const report = rescoreRun({
    events: run.events.map((recorded) => recorded.event),
    recorded: { rewards: run.rewards, grpo: run.grpo },
    rewards: await loadRewardConfig(flags.rewardConfig),
    ...(flags.grpo === undefined ? {} : { grpo: await loadGrpoConfig(flags.grpo) }),
  });
  process.stdout.write(
    flags.json ? `${JSON.stringify(report)}\n` : `${formatRescoreSummary(report, runDir)}\n`,
  );
}

export function registerRescoreCommand(program: Command): void {
  program
    .command("rescore")
    .description(
      "Score a recorded run's samples under another reward (and GRPO) configuration without running any model, and report what changes per role: reward distribution shift, advantage sign flips, ranking changes within groups (Kendall tau-b), and which Coder prompts and Solver dataset items the filters would keep or drop. Same samples, different scoring: a real re-run would draw different samples after the first changed decision.",
    )
    .argument("[run-dir]", "run directory (or use --nats and --run)")
    .requiredOption(
      "-r, --reward-config <file|preset>",
      `reward preset (${rewardPresetNames.join(", ")}) or a .json file of overrides over a preset`,
    )
    .option(
      "--grpo <file|preset>",
      `GRPO preset (${grpoPresetNames.join(", ")}) or .json file; default: the recorded one`,
    )
    .option("--json", "print the full report as JSON")
    .addOption(natsSourceOption())
    .addOption(runIdOption())
    .action((runDir: string | undefined, flags: RescoreFlags) =>
      withRunSource(runDir, flags, { blobs: false }, (source) => rescoreCommand(source.directory, flags)),
    );
}
