import assert from "node:assert/strict";
import type { PolicyRole } from "../events/index.ts";
import type { ProportionInterval } from "./statistics.ts";

/**
 * What each chart of the page plots, as data: the page script hands these to uPlot unchanged.
 * A series with no values is dropped, and a chart left with no series is not drawn (the page says
 * "no data yet" under its title instead), so every drawn chart has something on it.
 */

export interface ChartSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly colour: string;
}

/** A shaded interval around a series (95% Wilson intervals). */
export interface ChartBand {
  readonly label: string;
  readonly lower: readonly (number | null)[];
  readonly upper: readonly (number | null)[];
  readonly colour: string;
}

export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  /** One line on how to read the chart. */
  readonly description: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly x: readonly number[];
  /** A tick label per x value, in order; null to print the numbers. */
  readonly xTicks: readonly string[] | null;
  readonly series: readonly ChartSeries[];
  readonly bands: readonly ChartBand[];
  readonly yRange: readonly [number, number] | null;
  /** Counts: y ticks only at whole numbers. */
  readonly yWholeNumbers: boolean;
}

/** Tableau 10: distinct for most colour vision, readable on white. */
export const chartPalette = [
  "#4e79a7",
  "#f28e2b",
  "#e15759",
  "#76b7b2",
  "#59a14f",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
  "#9c755f",
  "#bab0ac",
] as const;

export const roleColours: Readonly<Record<PolicyRole, string>> = {
  proposer: chartPalette[0],
  coder: chartPalette[1],
  solver: chartPalette[4],
};

function colourAt(position: number): string {
  return chartPalette[position % chartPalette.length]!;
}

export type ChartDraft = Omit<ChartSpec, "bands" | "yRange" | "xTicks" | "series" | "yWholeNumbers"> & {
  readonly series: readonly Omit<ChartSeries, "colour">[] | readonly ChartSeries[];
  readonly bands?: readonly ChartBand[];
  readonly yRange?: readonly [number, number];
  readonly yWholeNumbers?: boolean;
  readonly xTicks?: readonly string[];
};

function hasValues(values: readonly (number | null)[]): boolean {
  return values.some((value) => value !== null && Number.isFinite(value));
}

/** The chart with its empty series dropped and colours assigned. */
export function chartOf(draft: ChartDraft): ChartSpec {
  for (const entry of [...draft.series, ...(draft.bands ?? [])]) {
    const length = "values" in entry ? entry.values.length : entry.lower.length;
    assert.equal(
      length,
      draft.x.length,
      `chart ${draft.id}: "${entry.label}" has ${length} values for ${draft.x.length} x`,
    );
  }
  const series = draft.series
    .map((entry, position) => ({ colour: colourAt(position), ...entry }))
    .filter((entry) => hasValues(entry.values));
  return {
    ...draft,
    series,
    bands: (draft.bands ?? []).filter((band) => hasValues(band.lower)),
    yRange: draft.yRange ?? null,
    yWholeNumbers: draft.yWholeNumbers ?? false,
    xTicks: draft.xTicks ?? null,
  };
}

/** Whether a chart has anything to draw. */
export function chartHasData(chart: ChartSpec): boolean {
  return chart.series.length > 0;
}

export const unitRange: readonly [number, number] = [0, 1];

/** A proportion per x as a series with its 95% interval as a band. */
export function intervalSeries(
  intervals: readonly (ProportionInterval | null)[],
  label: string,
  colour: string,
) {
  return {
    series: { label, colour, values: intervals.map((interval) => interval?.estimate ?? null) },
    band: {
      label: `${label} 95% interval`,
      colour,
      lower: intervals.map((interval) => interval?.lower ?? null),
      upper: intervals.map((interval) => interval?.upper ?? null),
    },
  };
}
