/**
 * The readable form of a rescore report: what changed in the configuration, whether the baseline
 * reproduces the log, one compact table per view (roles, quantiles, steps) and the filter changes.
 */
import {
  type ConfigChange,
  type RescoreReport,
  type RoleComparison,
  summaryQuantiles,
} from "../../rescore/index.ts";
import { formatTable } from "./table.ts";

/** Why: a summary line stays readable; the JSON output lists every id. */
const idsShownMax = 4;
const idCharacters = 12;

function formatNumber(value: number | null): string {
  return value === null ? "n/a" : value.toFixed(3);
}

function signed(value: number | null): string {
  if (value === null) return "n/a";
  return `${value >= 0 ? "+" : ""}${value.toFixed(3)}`;
}

function beforeAfter(before: number | null, after: number | null): string {
  return `${formatNumber(before)} -> ${formatNumber(after)}`;
}

function ids(values: readonly string[]): string {
  if (values.length === 0) return "";
  const shown = values.slice(0, idsShownMax).map((id) => id.slice(0, idCharacters));
  const more = values.length - shown.length;
  return ` (${shown.join(", ")}${more > 0 ? `, +${more} more` : ""})`;
}

function configLines(title: string, changes: readonly ConfigChange[]): string[] {
  if (changes.length === 0) return [`${title}: unchanged`];
  return [
    `${title}: ${changes.length} field${changes.length === 1 ? "" : "s"} changed`,
    ...changes.map(
      (change) =>
        `  ${change.path}  ${JSON.stringify(change.recorded)} -> ${JSON.stringify(change.requested)}`,
    ),
  ];
}

function baselineLine(report: RescoreReport): string {
  const baseline = report.baseline;
  const exact =
    baseline.samplesReproduced === baseline.samples &&
    baseline.groupsReproduced === baseline.groups &&
    baseline.coderPromptsReproduced &&
    baseline.solverDatasetReproduced;
  const parts = [
    `${baseline.samplesReproduced}/${baseline.samples} rewards`,
    `${baseline.groupsReproduced}/${baseline.groups} groups`,
    `Coder prompts ${baseline.coderPromptsReproduced ? "yes" : "NO"}`,
    `Solver dataset ${baseline.solverDatasetReproduced ? "yes" : "NO"}`,
  ];
  const hash = baseline.configHashMatchesLog
    ? ""
    : "; the log's reward config hashes differ from RunStarted's";
  return `baseline (recorded config reproduces the log): ${parts.join(", ")}${exact ? "" : " - MISMATCH, read the comparison with care"}${hash}`;
}

function roleRow(role: RoleComparison): string[] {
  const { rewards, groups } = role;
  const medianIndex = summaryQuantiles.indexOf(0.5);
  return [
    role.role,
    String(role.samples),
    String(role.changedSamples.length),
    `${beforeAfter(rewards.before.mean, rewards.after.mean)} (${signed(rewards.meanShift)})`,
    beforeAfter(rewards.before.standardDeviation, rewards.after.standardDeviation),
    beforeAfter(rewards.before.quantiles[medianIndex] ?? null, rewards.after.quantiles[medianIndex] ?? null),
    String(groups.count),
    String(groups.signChanged),
    String(groups.orderingChanged),
    `${formatNumber(groups.meanRankCorrelation)}${groups.rankCorrelationUndefined > 0 ? ` (${groups.rankCorrelationUndefined} undef.)` : ""}`,
    `${groups.droppedBefore} -> ${groups.droppedAfter}`,
    String(groups.onFilteredOutData.length),
  ];
}

function quantileRows(roles: readonly RoleComparison[]): string[][] {
  return roles.flatMap((role) =>
    role.samples === 0
      ? []
      : [
          [`${role.role} before`, ...role.rewards.before.quantiles.map((value) => formatNumber(value))],
          [`${role.role} after`, ...role.rewards.after.quantiles.map((value) => formatNumber(value))],
        ],
  );
}

function stepRows(roles: readonly RoleComparison[]): string[][] {
  return roles.flatMap((role) =>
    role.steps.map((step) => [
      role.role,
      String(step.iteration),
      // 1-based, as every step people read (the CLI, the report, run.log).
      String(step.step + 1),
      String(step.samples),
      String(step.changedSamples),
      beforeAfter(step.meanBefore, step.meanAfter),
      String(step.groups),
      String(step.signChanged),
      formatNumber(step.meanRankCorrelation),
    ]),
  );
}

function filterLines(report: RescoreReport): string[] {
  const lines = report.coderPrompts.map(
    (comparison) =>
      `  Coder prompts   iteration ${comparison.iteration}: ${comparison.evaluated} evaluated, kept ${comparison.keptBefore} -> ${comparison.keptAfter}; in ${comparison.filteredIn.length}${ids(comparison.filteredIn)}, out ${comparison.filteredOut.length}${ids(comparison.filteredOut)}`,
  );
  for (const comparison of report.solverDataset) {
    lines.push(
      `  Solver dataset  iteration ${comparison.iteration}: ${comparison.evaluated} evaluated, kept ${comparison.keptBefore} -> ${comparison.keptAfter}; in ${comparison.filteredIn.length}${ids(comparison.filteredIn.map((item) => item.imageId))}, out ${comparison.filteredOut.length}${ids(comparison.filteredOut.map((item) => item.imageId))}; pseudo-label changes ${comparison.pseudoLabelChanges.length}`,
    );
  }
  return lines.length === 0 ? ["  (no Coder prompts or Solver dataset recorded)"] : lines;
}

/** The readable summary of a report; `label` names the run (its directory). */
export function formatRescoreSummary(report: RescoreReport, label: string): string {
  const roles = report.roles;
  const samples = roles.reduce((sum, role) => sum + role.samples, 0);
  return [
    `rescore ${label}: ${samples} recorded rewards, reward config ${report.rewardConfig.recordedHash.slice(0, idCharacters)} -> ${report.rewardConfig.requestedHash.slice(0, idCharacters)}`,
    ...configLines("reward config", report.rewardConfig.changes),
    ...configLines("grpo config", report.grpoConfig.changes),
    baselineLine(report),
    `note: ${report.note}`,
    "",
    ...formatTable(
      [
        "role",
        "samples",
        "changed",
        "mean before -> after",
        "std before -> after",
        "median before -> after",
        "groups",
        "sign flips",
        "reordered",
        "mean tau-b",
        "dropped (dyn.)",
        "on dropped data",
      ],
      roles.map(roleRow),
    ),
    "",
    "reward quantiles",
    ...formatTable(["", ...summaryQuantiles.map((q) => `p${Math.round(q * 100)}`)], quantileRows(roles)),
    "",
    "per step",
    ...formatTable(
      [
        "role",
        "iteration",
        "step",
        "samples",
        "changed",
        "mean before -> after",
        "groups",
        "sign flips",
        "mean tau-b",
      ],
      stepRows(roles),
    ),
    "",
    "filters (same candidates, requested bands)",
    ...filterLines(report),
  ].join("\n");
}
