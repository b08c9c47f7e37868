import { and, sql } from "drizzle-orm";
import { getDb } from "../../db/client";
import { auditEvents } from "../../db/schema";
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
}

/** One aggregate pass over the rows the filter selects (the same conditions as the list). */
export function auditTotals({ ctx, input }: { ctx: Context; input: AuditFilter }): AuditTotals {
  authorize(ctx, "view", "audit");
  const conditions = auditConditions(parseInput(AuditFilter, input));
  const isCall = sql`${auditEvents.event} = ${INFERENCE_EVENT}`;
  const row = getDb()
    .select({
      events: sql<number>`count(*)`,
      calls: sql<number>`coalesce(sum(${isCall}), 0)`,
      errors: sql<number>`coalesce(sum(${isCall} and (${auditEvents.status} >= 400 or ${auditEvents.error} is not null)), 0)`,
      promptTokens: sql<number>`coalesce(sum(${auditEvents.promptTokens}), 0)`,
      completionTokens: sql<number>`coalesce(sum(${auditEvents.completionTokens}), 0)`,
      totalTokens: sql<number>`coalesce(sum(${auditEvents.totalTokens}), 0)`,
    })
    .from(auditEvents)
    .where(conditions.length ? and(...conditions) : undefined)
    .get();
  return {
    events: row?.events ?? 0,
    calls: row?.calls ?? 0,
    errors: row?.errors ?? 0,
    promptTokens: row?.promptTokens ?? 0,
    completionTokens: row?.completionTokens ?? 0,
    totalTokens: row?.totalTokens ?? 0,
  };
}
