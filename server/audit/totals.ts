import { and, sql } from "drizzle-orm";
import { one } from "../../db/program";
import type { Context } from "../context";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { AuditFilter, auditConditions } from "./list";
import { INFERENCE_EVENT } from "./types";

export interface AuditTotals {
  /** Every row matching the filter (management events included). */
  events: number;
  /** Inference calls among them. */
  calls: number;
  /** Inference calls that failed: status 4xx/5xx, or an error after a 200 stream. */
  errors: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** USD over the calls with a known price. */
  costUsd: number;
  /** Calls that reported tokens but have no known price. */
  unpricedCalls: number;
}

/** One aggregate pass over the rows the filter selects (the same conditions as the list). */
export async function auditTotals({ ctx, input }: { ctx: Context; input: AuditFilter }): Promise<AuditTotals> {
  authorize(ctx, "view", "audit");
  const filter = parseInput(AuditFilter, input);
  const row = await ctx.store.read(({ db, t }) => {
    const { auditEvents } = t;
    const conditions = auditConditions(t, filter);
    const isCall = sql`${auditEvents.event} = ${INFERENCE_EVENT}`;
    return one(
      db
        .select({
          events: sql<number>`count(*)`.mapWith(Number),
          calls: sql<number>`coalesce(sum(case when ${isCall} then 1 else 0 end), 0)`.mapWith(Number),
          errors:
            sql<number>`coalesce(sum(case when ${isCall} and (${auditEvents.status} >= 400 or ${auditEvents.error} is not null) then 1 else 0 end), 0)`.mapWith(
              Number,
            ),
          promptTokens: sql<number>`coalesce(sum(${auditEvents.promptTokens}), 0)`.mapWith(Number),
          completionTokens: sql<number>`coalesce(sum(${auditEvents.completionTokens}), 0)`.mapWith(Number),
          totalTokens: sql<number>`coalesce(sum(${auditEvents.totalTokens}), 0)`.mapWith(Number),
          costUsd: sql<number>`coalesce(sum(${auditEvents.costUsd}), 0)`.mapWith(Number),
          unpricedCalls:
            sql<number>`coalesce(sum(case when ${isCall} and ${auditEvents.costUsd} is null and ${auditEvents.totalTokens} > 0 then 1 else 0 end), 0)`.mapWith(
              Number,
            ),
        })
        .from(auditEvents)
        .where(conditions.length ? and(...conditions) : undefined),
    );
  });
  return {
    events: row?.events ?? 0,
    calls: row?.calls ?? 0,
    errors: row?.errors ?? 0,
    promptTokens: row?.promptTokens ?? 0,
    completionTokens: row?.completionTokens ?? 0,
    totalTokens: row?.totalTokens ?? 0,
    costUsd: row?.costUsd ?? 0,
    unpricedCalls: row?.unpricedCalls ?? 0,
  };
}
