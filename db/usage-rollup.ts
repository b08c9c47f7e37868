import { INFERENCE_EVENT } from "../server/audit/types";
import { DAY_MS } from "../server/usage/summary";
import type { AuditInsert } from "./store";

/** The `usage_daily` columns the audit writer adds to, in statement order. */
export const USAGE_DAILY_COLUMNS = [
  "day",
  "user",
  "llm",
  "model",
  "calls",
  "prompt_tokens",
  "completion_tokens",
  "total_tokens",
  "cost_usd",
  "unpriced_calls",
] as const;
const KEY_COLUMNS = 4;

/** One statement shape for both engines: `placeholder(i)` writes the i-th parameter (`?` or `$i`). */
export function usageDailyUpsert(rows: number, placeholder: (index: number) => string): string {
  const width = USAGE_DAILY_COLUMNS.length;
  const tuples = Array.from({ length: rows }, (_, row) => `(${USAGE_DAILY_COLUMNS.map((_, column) => placeholder(row * width + column + 1)).join(", ")})`);
  const sums = USAGE_DAILY_COLUMNS.slice(KEY_COLUMNS).map((column) => `"${column}" = usage_daily."${column}" + excluded."${column}"`);
  return `INSERT INTO usage_daily (${USAGE_DAILY_COLUMNS.map((column) => `"${column}"`).join(", ")}) VALUES ${tuples.join(", ")} ON CONFLICT ("day", "user", "llm", "model") DO UPDATE SET ${sums.join(", ")}`;
}

type DailySum = [
  day: number,
  user: string,
  llm: string,
  model: string,
  calls: number,
  prompt: number,
  completion: number,
  total: number,
  cost: number,
  unpriced: number,
];

/** What a batch of audit rows adds to the daily rollup, one parameter list per (day, user, Llm, model). */
export function usageDailyDeltas(rows: AuditInsert[]): DailySum[] {
  const sums = new Map<string, DailySum>();
  for (const row of rows) {
    if (row.event !== INFERENCE_EVENT) continue;
    const day = Math.floor((row.ts as number) / DAY_MS) * DAY_MS;
    const user = (row.user as string | null | undefined) ?? "";
    const llm = (row.llm as string | null | undefined) ?? "";
    const model = (row.model as string | null | undefined) ?? "";
    const key = `${day}\u0000${user}\u0000${llm}\u0000${model}`;
    let sum = sums.get(key);
    if (!sum) {
      sum = [day, user, llm, model, 0, 0, 0, 0, 0, 0];
      sums.set(key, sum);
    }
    const total = (row.totalTokens as number | null | undefined) ?? 0;
    const cost = row.costUsd as number | null | undefined;
    sum[4] += 1;
    sum[5] += (row.promptTokens as number | null | undefined) ?? 0;
    sum[6] += (row.completionTokens as number | null | undefined) ?? 0;
    sum[7] += total;
    sum[8] += cost ?? 0;
    sum[9] += cost == null && total > 0 ? 1 : 0;
  }
  return [...sums.values()];
}
