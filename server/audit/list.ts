import { and, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { API_NAMES } from "../proxy/apis/types";
import { one, rows, type Tables } from "../../db/program";
import type { Context } from "../context";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import type { AuditRow } from "./types";

export const AuditFilter = z.object({
  event: z.string().max(64).optional(),
  user: z.string().max(128).optional(),
  llm: z.string().max(128).optional(),
  /** Which API the client spoke (inference calls). */
  api: z.enum(API_NAMES).optional(),
  /** 2 = 2xx, 4 = 4xx, 5 = 5xx (499 counts as 4xx). */
  statusClass: z.number().int().min(1).max(5).optional(),
  from: z.number().int().optional(),
  to: z.number().int().optional(),
});
export type AuditFilter = z.infer<typeof AuditFilter>;

export const ListAuditInput = AuditFilter.extend({
  limit: z.number().int().min(1).max(1000).default(100),
  /** Keyset cursor: rows with a smaller id than this. */
  before: z.number().int().positive().optional(),
});
export type ListAuditInput = z.input<typeof ListAuditInput>;

export function auditConditions({ auditEvents }: Tables, filter: AuditFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.event) conditions.push(eq(auditEvents.event, filter.event));
  if (filter.user) conditions.push(eq(auditEvents.user, filter.user));
  if (filter.llm) conditions.push(eq(auditEvents.llm, filter.llm));
  if (filter.api) conditions.push(eq(auditEvents.api, filter.api));
  if (filter.statusClass) {
    conditions.push(gte(auditEvents.status, filter.statusClass * 100), lt(auditEvents.status, filter.statusClass * 100 + 100));
  }
  if (filter.from !== undefined) conditions.push(gte(auditEvents.ts, filter.from));
  if (filter.to !== undefined) conditions.push(lt(auditEvents.ts, filter.to));
  return conditions;
}

export async function listAudit({ ctx, input }: { ctx: Context; input: ListAuditInput }): Promise<{ rows: AuditRow[]; nextCursor: number | null }> {
  authorize(ctx, "view", "audit");
  const parsed = parseInput(ListAuditInput, input);
  const found = await ctx.store.read(function* ({ db, t }) {
    const { auditEvents } = t;
    const conditions = auditConditions(t, parsed);
    // Keyset on (ts, id): the database walks the (ts) or (column, ts) index in order instead of
    // sorting every matching row. The cursor stays an id.
    if (parsed.before) {
      const cursor = yield* one(db.select({ ts: auditEvents.ts }).from(auditEvents).where(eq(auditEvents.id, parsed.before)));
      conditions.push(cursor ? sql`(${auditEvents.ts}, ${auditEvents.id}) < (${cursor.ts}, ${parsed.before})` : lt(auditEvents.id, parsed.before));
    }
    return yield* rows(
      db
        .select()
        .from(auditEvents)
        .where(conditions.length ? and(...conditions) : undefined)
        .orderBy(desc(auditEvents.ts), desc(auditEvents.id))
        .limit(parsed.limit + 1),
    );
  });
  const page = found.slice(0, parsed.limit);
  return { rows: page, nextCursor: found.length > parsed.limit ? page[page.length - 1]!.id : null };
}
