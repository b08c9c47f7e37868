import type { AuditFilter } from "../../../server/audit/list";
import type { AuditHourly } from "../../../server/audit/hourly";
import { API_LABELS, API_NAMES, type ApiName } from "../../../server/proxy/apis/types";

export const RANGES = [
  { value: "1h", label: "Last hour", ms: 60 * 60 * 1000 },
  { value: "24h", label: "Last 24 hours", ms: 24 * 60 * 60 * 1000 },
  { value: "7d", label: "Last 7 days", ms: 7 * 24 * 60 * 60 * 1000 },
  { value: "30d", label: "Last 30 days", ms: 30 * 24 * 60 * 60 * 1000 },
  { value: "all", label: "All time", ms: null },
  { value: "custom", label: "Custom range", ms: null },
] as const;
export type RangeKey = (typeof RANGES)[number]["value"];
export const DEFAULT_RANGE: RangeKey = "24h";
export const AUDIT_PAGE_SIZE = 50;

export const STATUS_CLASSES = [
  { value: "", label: "Any status" },
  { value: "2", label: "2xx success" },
  { value: "4", label: "4xx refused (incl. 499)" },
  { value: "5", label: "5xx failed" },
] as const;
export type StatusChoice = (typeof STATUS_CLASSES)[number]["value"];

export const API_CHOICES: { value: ApiName | ""; label: string }[] = [
  { value: "", label: "Any API" },
  ...API_NAMES.map((api) => ({ value: api, label: API_LABELS[api] })),
];

/** The audit page's state as it lives in the URL (shareable, survives reloads). */
export interface AuditUrlState {
  event: string;
  user: string;
  llm: string;
  api: ApiName | "";
  status: StatusChoice;
  range: RangeKey;
  /** Custom range bounds, epoch ms. */
  from: number | null;
  to: number | null;
}

type SearchInput = URLSearchParams | Record<string, string | string[] | undefined>;

function reader(search: SearchInput): (key: string) => string {
  if (search instanceof URLSearchParams) return (key) => search.get(key) ?? "";
  return (key) => {
    const value = search[key];
    return (Array.isArray(value) ? value[0] : value) ?? "";
  };
}

function integer(text: string): number | null {
  return /^\d{1,15}$/.test(text) ? Number(text) : null;
}

export function parseAuditSearch(search: SearchInput): AuditUrlState {
  const get = reader(search);
  const range = RANGES.some((option) => option.value === get("range")) ? (get("range") as RangeKey) : DEFAULT_RANGE;
  const status = STATUS_CLASSES.some((option) => option.value === get("status")) ? (get("status") as StatusChoice) : "";
  const api = API_NAMES.find((name) => name === get("api")) ?? "";
  return { event: get("event"), user: get("user"), llm: get("llm"), api, status, range, from: integer(get("from")), to: integer(get("to")) };
}

/** Query string for the state; defaults are left out so the plain URL means the default view. */
export function toAuditSearch(state: AuditUrlState): string {
  const params = new URLSearchParams();
  if (state.event) params.set("event", state.event);
  if (state.user) params.set("user", state.user);
  if (state.llm) params.set("llm", state.llm);
  if (state.api) params.set("api", state.api);
  if (state.status) params.set("status", state.status);
  if (state.range !== DEFAULT_RANGE) params.set("range", state.range);
  if (state.range === "custom") {
    if (state.from !== null) params.set("from", String(state.from));
    if (state.to !== null) params.set("to", String(state.to));
  }
  return params.toString();
}

/** The server's AuditFilter for the state; relative ranges end at `now`. */
export function resolveFilter(state: AuditUrlState, now: number): AuditFilter {
  const filter: AuditFilter = {};
  if (state.event) filter.event = state.event;
  if (state.user) filter.user = state.user;
  if (state.llm) filter.llm = state.llm;
  if (state.api) filter.api = state.api;
  if (state.status) filter.statusClass = Number(state.status);
  const preset = RANGES.find((option) => option.value === state.range);
  if (preset?.ms) filter.from = now - preset.ms;
  if (state.range === "custom") {
    if (state.from !== null) filter.from = state.from;
    if (state.to !== null) filter.to = state.to;
  }
  return filter;
}

export function exportUrl(filter: AuditFilter): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value !== undefined && value !== "") params.set(key, String(value));
  const query = params.toString();
  return `/api/audit/export${query ? `?${query}` : ""}`;
}

export interface HourBar {
  hour: number;
  ok: number;
  clientError: number;
  serverError: number;
  other: number;
  total: number;
}

/** Every hour of the chart's range, empty hours as zeros, oldest first. */
export function densifyHours(hourly: AuditHourly, hourMs = 60 * 60 * 1000): HourBar[] {
  const byHour = new Map(hourly.hours.map((entry) => [entry.hour, entry]));
  const bars: HourBar[] = [];
  for (let hour = hourly.from; hour < hourly.to; hour += hourMs) {
    const entry = byHour.get(hour);
    const bar = { hour, ok: entry?.ok ?? 0, clientError: entry?.clientError ?? 0, serverError: entry?.serverError ?? 0, other: entry?.other ?? 0 };
    bars.push({ ...bar, total: bar.ok + bar.clientError + bar.serverError + bar.other });
  }
  return bars;
}

/** A round axis maximum at or above `value` (1, 2, 5 × 10^n). */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * magnitude).find((candidate) => candidate >= value) ?? 10 * magnitude;
}
