import { type ColumnSource, parquetWriteBuffer } from "hyparquet-writer";
import { columnsOf, type ExportRow, flattenRow, type Scalar } from "./row.ts";

export const exportFormats = ["jsonl", "csv", "parquet"] as const;
export type ExportFormat = (typeof exportFormats)[number];

export function isExportFormat(value: string): value is ExportFormat {
  return (exportFormats as readonly string[]).includes(value);
}

/** One JSON object per line, nesting kept. */
export function toJsonLines(rows: readonly ExportRow[]): Uint8Array {
  return Buffer.from(rows.map((row) => `${JSON.stringify(row)}\n`).join(""));
}

function csvField(value: Scalar): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV with a header row; nested fields flattened to dotted columns, null as an empty field. */
export function toCsv(rows: readonly ExportRow[]): Uint8Array {
  const flat = rows.map((row) => flattenRow(row));
  const columns = columnsOf(flat);
  const lines = [
    columns.map(csvField).join(","),
    ...flat.map((row) => columns.map((column) => csvField(row[column] ?? null)).join(",")),
  ];
  return Buffer.from(`${lines.join("\r\n")}\r\n`);
}

type ParquetType = "BOOLEAN" | "INT32" | "DOUBLE" | "STRING";

const int32Max = 2 ** 31 - 1;

/** A column's Parquet type from its values: whole numbers in int32 range, other numbers, booleans, else text. */
function parquetType(values: readonly Scalar[]): ParquetType {
  const present = values.filter((value) => value !== null);
  if (present.length > 0 && present.every((value) => typeof value === "boolean")) return "BOOLEAN";
  if (present.length > 0 && present.every((value) => typeof value === "number")) {
    return present.every((value) => Number.isInteger(value) && Math.abs(value as number) <= int32Max)
      ? "INT32"
      : "DOUBLE";
  }
  return "STRING";
}

/** A Parquet file (nullable columns, snappy pages), nested fields flattened as for CSV. */
export function toParquet(rows: readonly ExportRow[]): Uint8Array {
  const flat = rows.map((row) => flattenRow(row));
  const columnData: ColumnSource[] = columnsOf(flat).map((name) => {
    const values = flat.map((row) => row[name] ?? null);
    const type = parquetType(values);
    return {
      name,
      type,
      nullable: true,
      data: type === "STRING" ? values.map((value) => (value === null ? null : String(value))) : values,
    };
  });
  return new Uint8Array(parquetWriteBuffer({ columnData }));
}

export function encodeRows(rows: readonly ExportRow[], format: ExportFormat): Uint8Array {
  switch (format) {
    case "jsonl":
      return toJsonLines(rows);
    case "csv":
      return toCsv(rows);
    case "parquet":
      return toParquet(rows);
  }
}
