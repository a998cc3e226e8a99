/**
 * `mmzero export`: a run's metrics, samples or events as rows for analysis tools (pandas, polars,
 * DuckDB, spreadsheets), in JSON lines, CSV or Parquet (docs/export.md).
 */
import type { PayloadOf } from "../events/index.ts";
import { worldRoleFormats } from "../policy/index.ts";
import { applyReportEvent, emptyReportState } from "../report/index.ts";
import type { RecordedEvent } from "../store/index.ts";
import { eventRow } from "./event-rows.ts";
import { metricRows } from "./metric-rows.ts";
import type { ExportRow } from "./row.ts";
import { sampleRows } from "./sample-rows.ts";

export { type ExportFormat, encodeRows, exportFormats, isExportFormat } from "./formats.ts";
export { type ExportRow, flattenRow } from "./row.ts";

export const exportDatasets = ["metrics", "samples", "events"] as const;
export type ExportDataset = (typeof exportDatasets)[number];

export function isExportDataset(value: string): value is ExportDataset {
  return (exportDatasets as readonly string[]).includes(value);
}

/** The rows of one dataset of a run, from its recorded events (one pass; the samples join holds the run). */
export async function exportRows(
  events: AsyncIterable<RecordedEvent>,
  dataset: ExportDataset,
): Promise<ExportRow[]> {
  switch (dataset) {
    case "events": {
      const rows: ExportRow[] = [];
      for await (const recorded of events) rows.push(eventRow(recorded));
      return rows;
    }
    case "samples": {
      const all = [];
      for await (const recorded of events) all.push(recorded.event);
      return sampleRows(all, worldRoleFormats);
    }
    case "metrics": {
      let state = emptyReportState();
      const evaluations: PayloadOf<"BenchmarkEvaluated">[] = [];
      for await (const recorded of events) {
        state = applyReportEvent(state, recorded);
        if (recorded.event.type === "BenchmarkEvaluated") evaluations.push(recorded.event.payload);
      }
      return metricRows(state, evaluations);
    }
  }
}
