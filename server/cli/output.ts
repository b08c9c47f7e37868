// Everything the CLI prints goes through here, so tables and JSON look the same in every command.

export function writeLine(text: string): void {
  process.stdout.write(`${text}\n`);
}

export function writeErrorLine(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** One JSON document (the `get` commands print one array). */
export function writeJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** One compact JSON object per line (JSON Lines). */
export function writeJsonLines(values: readonly unknown[]): void {
  for (const value of values) process.stdout.write(`${JSON.stringify(value)}\n`);
}

type Cell = string | number | boolean | null | undefined;

/** An aligned table with an upper-case header; empty cells show as `-`. */
export function writeTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): void {
  const cells = [headers.map((header) => header.toUpperCase()), ...rows.map((row) => row.map(formatCell))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  for (const row of cells)
    writeLine(
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join("  ")
        .trimEnd(),
    );
}

function formatCell(cell: Cell): string {
  if (cell === null || cell === undefined || cell === "") return "-";
  if (typeof cell === "boolean") return cell ? "yes" : "no";
  // Names and descriptions come from other users: no control characters reach the terminal.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  return String(cell).replace(/[\u0000-\u001f\u007f-\u009f]/g, " ");
}

/** `2024-05-01T12:00:00Z`, or null for a missing time. */
export function formatTime(milliseconds: number | null): string | null {
  return milliseconds === null ? null : new Date(milliseconds).toISOString().replace(/\.\d{3}Z$/, "Z");
}
