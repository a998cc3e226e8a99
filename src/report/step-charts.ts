import { policyRoles } from "../events/index.ts";
import { type ChartSpec, chartOf, roleColours, unitRange } from "./chart-spec.ts";
import type { ReportMetrics, StepPoint } from "./metrics.ts";
import type { GrpoMeans, UnitSummary } from "./unit-metrics.ts";

/** Per-step charts of each role and of the GRPO updates: x is the role's GRPO steps in schedule order. */

function stepAxis(points: readonly StepPoint[]) {
  return {
    x: points.map((_, position) => position + 1),
    xTicks: points.map((point) => point.label),
    xLabel: "GRPO step (iteration, step)",
  };
}

function pick(points: readonly StepPoint[], read: (summary: UnitSummary) => number | null | undefined) {
  return points.map((point) => read(point.summary) ?? null);
}

function component(name: string) {
  return (summary: UnitSummary) => summary.componentMeans[name] ?? null;
}

export function proposerCharts(points: readonly StepPoint[]): ChartSpec[] {
  const axis = stepAxis(points);
  const types = [...new Set(points.flatMap((point) => Object.keys(point.summary.contentTypeShares)))].sort();
  return [
    chartOf({
      id: "proposer-reward",
      title: "Proposer reward",
      description: "Mean reward of the step's rollouts (-1 for a format-invalid proposal).",
      ...axis,
      yLabel: "mean reward",
      series: [{ label: "reward", values: pick(points, (summary) => summary.rewardMean) }],
    }),
    chartOf({
      id: "proposer-measures",
      title: "Proposer: solvability, difficulty, validity",
      description: "Means over the step's proposals, judged by the frozen Coder and Solver.",
      ...axis,
      yLabel: "mean / rate",
      yRange: unitRange,
      series: [
        { label: "solvability", values: pick(points, (summary) => summary.solvability) },
        { label: "difficulty", values: pick(points, (summary) => summary.difficulty) },
        { label: "format-valid rate", values: pick(points, (summary) => summary.validRate) },
        { label: "judge render rate", values: pick(points, (summary) => summary.renderRate) },
      ],
    }),
    chartOf({
      id: "proposer-components",
      title: "Proposer reward adjustments",
      description: "Mean diversity adjustment and penalties (0 when not applied).",
      ...axis,
      yLabel: "mean adjustment",
      series: [
        { label: "diversity", values: pick(points, component("diversity")) },
        { label: "content-type penalty", values: pick(points, component("contentTypePenalty")) },
        { label: "trivial-hard penalty", values: pick(points, component("trivialHardPenalty")) },
      ],
    }),
    chartOf({
      id: "proposer-content-types",
      title: "Content types of valid proposals",
      description: "Share of each content type and the normalised entropy (1 = evenly spread).",
      ...axis,
      yLabel: "share",
      yRange: unitRange,
      series: [
        { label: "normalised entropy", values: pick(points, (summary) => summary.contentTypeEntropy) },
        ...types.map((type) => ({
          label: type,
          values: pick(points, (summary) => summary.contentTypeShares[type] ?? 0),
        })),
      ],
    }),
  ];
}

export function coderCharts(points: readonly StepPoint[]): ChartSpec[] {
  const axis = stepAxis(points);
  return [
    chartOf({
      id: "coder-reward",
      title: "Coder reward",
      description: "Mean reward of the step's SVG rollouts (1 + s + d when rendered, negative when not).",
      ...axis,
      yLabel: "mean reward",
      series: [{ label: "reward", values: pick(points, (summary) => summary.rewardMean) }],
    }),
    chartOf({
      id: "coder-measures",
      title: "Coder: render rate, solvability, difficulty",
      description:
        "Render rate of the rollouts; solvability, difficulty and hard consistency of rendered ones.",
      ...axis,
      yLabel: "mean / rate",
      yRange: unitRange,
      series: [
        { label: "render rate", values: pick(points, (summary) => summary.renderRate) },
        { label: "solvability", values: pick(points, (summary) => summary.solvability) },
        { label: "difficulty", values: pick(points, (summary) => summary.difficulty) },
        { label: "hard consistency", values: pick(points, component("hardConsistency")) },
      ],
    }),
    chartOf({
      id: "coder-code-length",
      title: "Average code length",
      description: "Mean characters per Coder output.",
      ...axis,
      yLabel: "characters",
      series: [{ label: "code length", values: pick(points, (summary) => summary.codeLengthMean) }],
    }),
  ];
}

export function solverCharts(points: readonly StepPoint[]): ChartSpec[] {
  return [
    chartOf({
      id: "solver-reward",
      title: "Solver reward",
      description: "Mean reward (0.9 x matches pseudo-label + 0.1 x format), agreement and format rates.",
      ...stepAxis(points),
      yLabel: "mean / rate",
      yRange: unitRange,
      series: [
        { label: "reward", values: pick(points, (summary) => summary.rewardMean) },
        { label: "matches pseudo-label", values: pick(points, component("correct")) },
        { label: "format ok", values: pick(points, component("formatOk")) },
      ],
    }),
  ];
}

const grpoMetrics: readonly { key: keyof GrpoMeans; title: string; yLabel: string }[] = [
  { key: "loss", title: "GRPO loss", yLabel: "loss" },
  { key: "kl", title: "KL to the phase's reference", yLabel: "k3 KL" },
  { key: "clipFraction", title: "Clip fraction", yLabel: "share of tokens" },
  { key: "gradNorm", title: "Gradient norm (before clipping)", yLabel: "norm" },
];

export function grpoCharts(steps: ReportMetrics["steps"]): ChartSpec[] {
  const length = Math.max(0, ...policyRoles.map((role) => steps[role].length));
  const x = Array.from({ length }, (_, position) => position + 1);
  return grpoMetrics.map(({ key, title, yLabel }) =>
    chartOf({
      id: `grpo-${key}`,
      title,
      description: "Per role, by the role's own GRPO steps in order (steps without an update are gaps).",
      xLabel: "role's GRPO step",
      yLabel,
      x,
      xTicks: x.map(String),
      series: policyRoles.map((role) => ({
        label: role,
        colour: roleColours[role],
        values: x.map((_, position) => steps[role][position]?.summary.grpo[key] ?? null),
      })),
    }),
  );
}
