/**
 * A row of an export: JSON values, nested objects allowed. JSON lines keep the nesting; the tabular
 * formats (CSV, Parquet) flatten nested objects to dotted column names (`grpo.loss`) and write
 * arrays as JSON text, so every column holds one scalar per row.
 */
export type ExportValue = string | number | boolean | null | readonly ExportValue[] | ExportRow;
export interface ExportRow {
  readonly [name: string]: ExportValue;
}

export type Scalar = string | number | boolean | null;

function isRow(value: ExportValue): value is ExportRow {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The row with nested objects spread into dotted names, arrays as JSON text. */
export function flattenRow(row: ExportRow, prefix = ""): Record<string, Scalar> {
  const flat: Record<string, Scalar> = {};
  for (const [name, value] of Object.entries(row)) {
    const column = `${prefix}${name}`;
    if (isRow(value)) Object.assign(flat, flattenRow(value, `${column}.`));
    else if (Array.isArray(value)) flat[column] = JSON.stringify(value);
    else flat[column] = value as Scalar;
  }
  return flat;
}

/** The columns of flattened rows, in order of first appearance; a row lacking one holds null. */
export function columnsOf(rows: readonly Record<string, Scalar>[]): string[] {
  const columns = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row)) columns.add(name);
  return [...columns];
}
