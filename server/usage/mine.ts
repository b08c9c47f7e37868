import { and, eq, gte, sql } from "drizzle-orm";
import { one } from "../../db/program";
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
 * default limit: their own share), and their calls, tokens and cost today and this month (UTC),
 * from the daily rollup.
 */
export async function myUsage({ ctx }: { ctx: Context }): Promise<MyUsage> {
  const { principal, store } = ctx;
  const limits = limitsOnCallsOf(await store.read(allLimits), principal);
  const fills = await limitFills(store, limits, principal.userId);
  const now = Date.now();
  const day = windowAt("day", now).start;
  const month = windowAt("month", now).start;
  const spend = await store.read(function* ({ db, t }) {
    const u = t.usageDaily;
    const today = sql`${u.day} = ${day}`;
    return (yield* one(
      db
        .select({
          monthRequests: sql<number>`coalesce(sum(${u.calls}), 0)`.mapWith(Number),
          monthTokens: sql<number>`coalesce(sum(${u.totalTokens}), 0)`.mapWith(Number),
          monthCost: sql<number>`coalesce(sum(${u.costUsd}), 0)`.mapWith(Number),
          todayRequests: sql<number>`coalesce(sum(case when ${today} then ${u.calls} else 0 end), 0)`.mapWith(Number),
          todayTokens: sql<number>`coalesce(sum(case when ${today} then ${u.totalTokens} else 0 end), 0)`.mapWith(Number),
          todayCost: sql<number>`coalesce(sum(case when ${today} then ${u.costUsd} else 0 end), 0)`.mapWith(Number),
        })
        .from(u)
        .where(and(eq(u.user, principal.userName), gte(u.day, month))),
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
