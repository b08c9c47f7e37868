import { and, eq, gte, isNull, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { rows } from "../../db/program";
import type { Tables } from "../../db/program";
import { INFERENCE_EVENT } from "../audit/types";
import type { Context } from "../context";
import { authorize } from "../rbac/authorize";
import { parseInput, ResourceName } from "../validation";

export const DAY_MS = 86_400_000;
/** Longest range one summary covers: a year of days. */
const MAX_RANGE_MS = 366 * DAY_MS;
/** Rows kept in the by-user and by-Llm lists (the largest spenders first). */
const TOP = 25;

export const UsageInput = z
  .object({
    from: z.number().int().min(0),
    to: z.number().int().min(1),
    user: ResourceName.optional(),
    llm: ResourceName.optional(),
  })
  .strict()
  .refine((input) => input.from < input.to, { message: "must be after from", path: ["to"] })
  .refine((input) => input.to - input.from <= MAX_RANGE_MS, { message: "the range may span at most 366 days", path: ["from"] });
export type UsageInput = z.input<typeof UsageInput>;

/** What a set of calls used and cost. `costUsd` sums the calls with a known price; `unpricedCalls` had tokens but none. */
export interface UsageFigures {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  costUsd: number;
  unpricedCalls: number;
}

export interface UsageSummary {
  totals: UsageFigures;
  /** UTC days with calls, oldest first; `day` is the day's start (epoch ms). */
  byDay: Array<UsageFigures & { day: number }>;
  /** The largest spenders first (cost, then tokens). */
  byUser: Array<UsageFigures & { user: string | null }>;
  byLlm: Array<UsageFigures & { llm: string | null }>;
  /** Calls that reported tokens but have no price, by Llm and model: the prices to add. */
  unpriced: Array<{ llm: string | null; model: string | null; calls: number; totalTokens: number }>;
}

function measures(a: Tables["auditEvents"]) {
  return {
    calls: sql<number>`count(*)`.mapWith(Number),
    promptTokens: sql<number>`coalesce(sum(${a.promptTokens}), 0)`.mapWith(Number),
    completionTokens: sql<number>`coalesce(sum(${a.completionTokens}), 0)`.mapWith(Number),
    totalTokens: sql<number>`coalesce(sum(${a.totalTokens}), 0)`.mapWith(Number),
    costUsd: sql<number>`coalesce(sum(${a.costUsd}), 0)`.mapWith(Number),
    unpricedCalls: sql<number>`coalesce(sum(case when ${a.costUsd} is null and ${a.totalTokens} > 0 then 1 else 0 end), 0)`.mapWith(Number),
  };
}

const bySpend = (left: UsageFigures, right: UsageFigures) => right.costUsd - left.costUsd || right.totalTokens - left.totalTokens;

/** Cost and tokens of the inference calls in [from, to), by UTC day, user and Llm, and what has no price. */
export async function usageSummary({ ctx, input }: { ctx: Context; input: UsageInput }): Promise<UsageSummary> {
  authorize(ctx, "view", "audit");
  const parsed = parseInput(UsageInput, input);
  return ctx.store.read(function* ({ db, t }) {
    const a = t.auditEvents;
    const where = and(
      eq(a.event, INFERENCE_EVENT),
      gte(a.ts, parsed.from),
      lt(a.ts, parsed.to),
      parsed.user ? eq(a.user, parsed.user) : undefined,
      parsed.llm ? eq(a.llm, parsed.llm) : undefined,
    );
    // A literal, not a parameter: PostgreSQL must see the same expression in SELECT and GROUP BY.
    const day = sql<number>`(${a.ts} / ${sql.raw(String(DAY_MS))})`.mapWith(Number);
    const [totals] = yield* rows(db.select(measures(a)).from(a).where(where));
    const byDay = yield* rows(
      db
        .select({ day, ...measures(a) })
        .from(a)
        .where(where)
        .groupBy(day)
        .orderBy(day),
    );
    const byUser = yield* rows(
      db
        .select({ user: a.user, ...measures(a) })
        .from(a)
        .where(where)
        .groupBy(a.user),
    );
    const byLlm = yield* rows(
      db
        .select({ llm: a.llm, ...measures(a) })
        .from(a)
        .where(where)
        .groupBy(a.llm),
    );
    const unpriced = yield* rows(
      db
        .select({
          llm: a.llm,
          model: a.model,
          calls: sql<number>`count(*)`.mapWith(Number),
          totalTokens: sql<number>`coalesce(sum(${a.totalTokens}), 0)`.mapWith(Number),
        })
        .from(a)
        .where(and(where, isNull(a.costUsd), sql`${a.totalTokens} > 0`))
        .groupBy(a.llm, a.model),
    );
    return {
      totals: totals!,
      byDay: byDay.map((row) => ({ ...row, day: row.day * DAY_MS })),
      byUser: byUser.sort(bySpend).slice(0, TOP),
      byLlm: byLlm.sort(bySpend).slice(0, TOP),
      unpriced: unpriced.sort((left, right) => right.calls - left.calls).slice(0, TOP),
    };
  });
}
