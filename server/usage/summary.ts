import { and, eq, gt, gte, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { rows } from "../../db/program";
import type { Tables } from "../../db/program";
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
  /** Calls that reported tokens but have no price, by Llm and model: the prices to add (tokens: all of that Llm and model's on those days). */
  unpriced: Array<{ llm: string | null; model: string | null; calls: number; totalTokens: number }>;
}

function measures(u: Tables["usageDaily"]) {
  return {
    calls: sql<number>`coalesce(sum(${u.calls}), 0)`.mapWith(Number),
    promptTokens: sql<number>`coalesce(sum(${u.promptTokens}), 0)`.mapWith(Number),
    completionTokens: sql<number>`coalesce(sum(${u.completionTokens}), 0)`.mapWith(Number),
    totalTokens: sql<number>`coalesce(sum(${u.totalTokens}), 0)`.mapWith(Number),
    costUsd: sql<number>`coalesce(sum(${u.costUsd}), 0)`.mapWith(Number),
    unpricedCalls: sql<number>`coalesce(sum(${u.unpricedCalls}), 0)`.mapWith(Number),
  };
}

const bySpend = (left: UsageFigures, right: UsageFigures) => right.costUsd - left.costUsd || right.totalTokens - left.totalTokens;

/**
 * Cost and tokens of the inference calls on the UTC days from `from`'s through `to`'s (exclusive),
 * by day, user and Llm, and what has no price. Read from the daily rollup the audit writer keeps,
 * so a quarter is a few thousand rows however many calls it had.
 */
export async function usageSummary({ ctx, input }: { ctx: Context; input: UsageInput }): Promise<UsageSummary> {
  authorize(ctx, "view", "audit");
  const parsed = parseInput(UsageInput, input);
  return ctx.store.read(function* ({ db, t }) {
    const u = t.usageDaily;
    const where = and(
      gte(u.day, Math.floor(parsed.from / DAY_MS) * DAY_MS),
      lt(u.day, parsed.to),
      parsed.user ? eq(u.user, parsed.user) : undefined,
      parsed.llm ? eq(u.llm, parsed.llm) : undefined,
    );
    const [totals] = yield* rows(db.select(measures(u)).from(u).where(where));
    const byDay = yield* rows(
      db
        .select({ day: u.day, ...measures(u) })
        .from(u)
        .where(where)
        .groupBy(u.day)
        .orderBy(u.day),
    );
    const byUser = yield* rows(
      db
        .select({ user: u.user, ...measures(u) })
        .from(u)
        .where(where)
        .groupBy(u.user),
    );
    const byLlm = yield* rows(
      db
        .select({ llm: u.llm, ...measures(u) })
        .from(u)
        .where(where)
        .groupBy(u.llm),
    );
    const unpriced = yield* rows(
      db
        .select({
          llm: u.llm,
          model: u.model,
          calls: sql<number>`sum(${u.unpricedCalls})`.mapWith(Number),
          totalTokens: sql<number>`sum(${u.totalTokens})`.mapWith(Number),
        })
        .from(u)
        .where(and(where, gt(u.unpricedCalls, 0)))
        .groupBy(u.llm, u.model),
    );
    // The rollup stores an absent name as ''.
    const named = (name: string) => (name === "" ? null : name);
    return {
      totals: totals!,
      byDay,
      byUser: byUser
        .map((row) => ({ ...row, user: named(row.user) }))
        .sort(bySpend)
        .slice(0, TOP),
      byLlm: byLlm
        .map((row) => ({ ...row, llm: named(row.llm) }))
        .sort(bySpend)
        .slice(0, TOP),
      unpriced: unpriced
        .map((row) => ({ ...row, llm: named(row.llm), model: named(row.model) }))
        .sort((left, right) => right.calls - left.calls)
        .slice(0, TOP),
    };
  });
}
