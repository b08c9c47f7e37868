const dateTime = new Intl.DateTimeFormat("en-GB", { year: "numeric", month: "short", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
const shortDateTime = new Intl.DateTimeFormat("en-GB", { month: "short", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
const integer = new Intl.NumberFormat("en-US");

export function formatDateTime(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? "—" : dateTime.format(new Date(ms));
}

/** Without the year, for dense tables (the full time is one click away). */
export function formatShortDateTime(ms: number): string {
  return shortDateTime.format(new Date(ms));
}

/** "3 min ago", "in 2 days": a compact time relative to `now`. */
export function formatRelative(ms: number | null | undefined, now = Date.now()): string {
  if (ms === null || ms === undefined) return "—";
  const seconds = Math.round((ms - now) / 1000);
  const units: Array<[number, string]> = [
    [60, "s"],
    [60, "min"],
    [24, "h"],
    [30, "d"],
    [12, "mo"],
    [Number.POSITIVE_INFINITY, "y"],
  ];
  let value = Math.abs(seconds);
  for (const [size, unit] of units) {
    if (value < size) {
      if (unit === "s" && value < 10) return "just now";
      return seconds < 0 ? `${Math.floor(value)} ${unit} ago` : `in ${Math.floor(value)} ${unit}`;
    }
    value /= size;
  }
  return formatDateTime(ms);
}

export function formatNumber(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : integer.format(value);
}

/** US dollars: cents for sums of a dollar or more, four significant digits below (one call often costs a fraction of a cent). */
export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (value === 0) return "$0";
  if (Math.abs(value) >= 1) return `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  return `$${value.toPrecision(4).replace(/0+$/, "").replace(/\.$/, "")}`;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** `datetime-local` input value (local time) ↔ epoch milliseconds. */
export function toLocalInputValue(ms: number): string {
  const date = new Date(ms);
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function fromLocalInputValue(value: string): number | null {
  if (!value) return null;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? null : ms;
}
