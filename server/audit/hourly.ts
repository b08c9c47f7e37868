import { and, eq, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import { rows } from "../../db/program";
import type { Context } from "../context";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { AuditFilter, auditConditions } from "./list";
import { INFERENCE_EVENT } from "./types";

export const HOUR_MS = 60 * 60 * 1000;
const DEFAULT_SPAN_MS = 7 * 24 * HOUR_MS;
/** At most this many bars: a year of hours is more than a chart can show. */
const MAX_SPAN_MS = 92 * 24 * HOUR_MS;

export const AuditHourlyInput = AuditFilter;
export type AuditHourlyInput = z.infer<typeof AuditHourlyInput>;

export interface AuditHour {
  /** Start of the hour, epoch ms (UTC hour boundary). */
  hour: number;
  /** Calls by status class: 2xx, 4xx (499 included), 5xx, anything else (e.g. no status). */
  ok: number;
  clientError: number;
  serverError: number;
  other: number;
}

export interface AuditHourly {
  /** The hour range covered, [from, to): the filter's range, or the last 7 days. */
  from: number;
  to: number;
  /** Hours that had calls, oldest first (empty hours are left out). */
  hours: AuditHour[];
}

/** Inference calls per hour, split by status class, for the list's filter. */
export async function auditHourly({ ctx, input, now = Date.now() }: { ctx: Context; input: AuditHourlyInput; now?: number }): Promise<AuditHourly> {
  authorize(ctx, "view", "audit");
  const parsed = parseInput(AuditHourlyInput, input);
  const to = Math.ceil((parsed.to ?? now) / HOUR_MS) * HOUR_MS;
  const from = Math.floor(Math.max(parsed.from ?? to - DEFAULT_SPAN_MS, to - MAX_SPAN_MS) / HOUR_MS) * HOUR_MS;
  // The axis is whole hours; the rows counted are exactly the filter's (clipped to the axis).
  const counted = await ctx.store.read(({ db, t }) => {
    const { auditEvents } = t;
    const conditions = [...auditConditions(t, { ...parsed, from: Math.max(parsed.from ?? from, from) }), eq(auditEvents.event, INFERENCE_EVENT)];
    const hourMs = sql.raw(String(HOUR_MS));
    const hour = sql<number>`(${auditEvents.ts} / ${hourMs}) * ${hourMs}`.mapWith(Number);
    const status = auditEvents.status;
    const countWhere = (condition: SQL) => sql<number>`sum(case when ${condition} then 1 else 0 end)`.mapWith(Number);
    return rows(
      db
        .select({
          hour,
          ok: countWhere(sql`${status} >= 200 and ${status} < 300`),
          clientError: countWhere(sql`${status} >= 400 and ${status} < 500`),
          serverError: countWhere(sql`${status} >= 500`),
          other: countWhere(sql`${status} is null or ${status} < 200 or (${status} >= 300 and ${status} < 400)`),
        })
        .from(auditEvents)
        .where(and(...conditions))
        .groupBy(hour)
        .orderBy(hour),
    );
  });
  return {
    from,
    to,
    hours: counted.map((row) => ({
      hour: row.hour,
      ok: row.ok ?? 0,
      clientError: row.clientError ?? 0,
      serverError: row.serverError ?? 0,
      other: row.other ?? 0,
    })),
  };
}
