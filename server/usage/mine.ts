import { and, eq, gte, sql } from "drizzle-orm";
import { one } from "../../db/program";
import { INFERENCE_EVENT } from "../audit/types";
import type { Context } from "../context";
import { limitsOnCallsOf } from "../limits/list";
import type { LimitView } from "../limits/schemas";
import { limitFills } from "../limits/status";
import { allLimits } from "../limits/view";
import { windowAt } from "../limits/windows";

export interface Spend {
  requests: number;
  totalTokens: number;
  /** Calls without a known price count nothing here. */
  costUsd: number;
}

export interface OwnLimit extends Omit<LimitView, "createdAt" | "updatedAt"> {
  used: number;
  reserved: number;
  remaining: number;
  resetsAt: string | null;
}

export interface MyUsage {
  limits: OwnLimit[];
  spend: { today: Spend; month: Spend };
}

/**
 * The caller's own view of spend: each limit on their calls with what is used and held now (a
 * default limit: their own share), and their calls, tokens and cost today and this month (UTC).
 */
export async function myUsage({ ctx }: { ctx: Context }): Promise<MyUsage> {
  const { principal, store } = ctx;
  const limits = limitsOnCallsOf(await store.read(allLimits), principal);
  const fills = await limitFills(store, limits, principal.userId);
  const now = Date.now();
  const day = windowAt("day", now).start;
  const month = windowAt("month", now).start;
  const spend = await store.read(function* ({ db, t }) {
    const a = t.auditEvents;
    const today = sql`${a.ts} >= ${day}`;
    return (yield* one(
      db
        .select({
          monthRequests: sql<number>`count(*)`.mapWith(Number),
          monthTokens: sql<number>`coalesce(sum(${a.totalTokens}), 0)`.mapWith(Number),
          monthCost: sql<number>`coalesce(sum(${a.costUsd}), 0)`.mapWith(Number),
          todayRequests: sql<number>`coalesce(sum(case when ${today} then 1 else 0 end), 0)`.mapWith(Number),
          todayTokens: sql<number>`coalesce(sum(case when ${today} then ${a.totalTokens} else 0 end), 0)`.mapWith(Number),
          todayCost: sql<number>`coalesce(sum(case when ${today} then ${a.costUsd} else 0 end), 0)`.mapWith(Number),
        })
        .from(a)
        .where(and(eq(a.user, principal.userName), gte(a.ts, month), eq(a.event, INFERENCE_EVENT))),
    ))!;
  });
  return {
    limits: limits.map(({ createdAt: _created, updatedAt: _updated, ...limit }) => {
      const { used, reserved, remaining, resetsAt } = fills.get(limit.id)!;
      return { ...limit, used, reserved, remaining, resetsAt };
    }),
    spend: {
      today: { requests: spend.todayRequests, totalTokens: spend.todayTokens, costUsd: spend.todayCost },
      month: { requests: spend.monthRequests, totalTokens: spend.monthTokens, costUsd: spend.monthCost },
    },
  };
}
