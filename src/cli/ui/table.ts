import Table from "cli-table3";

/** Why: below this a column's values wrap into unreadable slivers; the table overflows instead. */
const columnWidthMin = 6;
const columnGap = 2;

/** The terminal's width when stdout is one; undefined (no limit) for pipes and files. */
export function terminalWidth(): number | undefined {
  return process.stdout.isTTY ? process.stdout.columns : undefined;
}

/**
 * Column widths that fit `width`: each column keeps its natural width when everything fits;
 * otherwise the widest columns give up room first, down to `columnWidthMin`.
 */
export function fitColumns(natural: readonly number[], width: number | undefined): number[] {
  const widths = [...natural];
  if (width === undefined) return widths;
  const room = width - columnGap * Math.max(0, widths.length - 1);
  let excess = widths.reduce((sum, value) => sum + value, 0) - room;
  // One character at a time from the widest column: bounded by the excess, fair to every column.
  while (excess > 0) {
    const widest = Math.max(...widths);
    if (widest <= columnWidthMin) break;
    widths[widths.indexOf(widest)] = widest - 1;
    excess -= 1;
  }
  return widths;
}

/**
 * A borderless text table for terminals (cli-table3): the first column left-aligned, the others
 * right-aligned, two spaces apart, cells wrapped so the table fits `width` (the terminal's, by
 * default; no limit when stdout is not a terminal).
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  width: number | undefined = terminalWidth(),
): string[] {
  const natural = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const widths = fitColumns(natural, width);
  const table = new Table({
    head: [...header],
    colWidths: widths,
    colAligns: header.map((_, column) => (column === 0 ? "left" : "right")),
    wordWrap: true,
    wrapOnWordBoundary: true,
    style: { head: [], border: [], "padding-left": 0, "padding-right": 0, compact: true },
    chars: {
      top: "",
      "top-mid": "",
      "top-left": "",
      "top-right": "",
      bottom: "",
      "bottom-mid": "",
      "bottom-left": "",
      "bottom-right": "",
      left: "",
      "left-mid": "",
      mid: "",
      "mid-mid": "",
      right: "",
      "right-mid": "",
      middle: " ".repeat(columnGap),
    },
  });
  for (const row of rows) table.push(header.map((_, column) => row[column] ?? ""));
  return table
    .toString()
    .split("\n")
    .map((line) => line.trimEnd());
}
