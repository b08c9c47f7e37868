/**
 * One CSV field (RFC 4180), safe for spreadsheets that split on `,` or `;`: text a spreadsheet
 * would run as a formula gets a leading `'`, and any text holding a separator, quote or line
 * break is quoted, so no part of it starts a cell of its own.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",;\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}
