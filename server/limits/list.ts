import { inArray } from "drizzle-orm";
import { rows } from "../../db/program";
import type { Principal } from "../auth/principal";
import type { Context } from "../context";
import { can } from "../rbac/permissions";
import type { LimitView } from "./schemas";
import { limitFills } from "./status";
import { allLimits, type OwnedLimit } from "./view";

/**
 * Every limit for holders of `view:limits`; anyone else sees the limits that apply to their own
 * calls.
 */
export async function listLimits({ ctx }: { ctx: Context }): Promise<LimitWithFill[]> {
  const all = await ctx.store.read(allLimits);
  const everyone = can(ctx.principal.bindings, "view", "limits");
  const views = everyone ? all.map(({ view }) => view) : limitsOnCallsOf(all, ctx.principal);
  // A default limit counts each user: holders of view:limits see the fullest user's figures, anyone else their own.
  const fills = await limitFills(ctx.store, views, everyone ? null : ctx.principal.userId);
  const ids = [...new Set([...fills.values()].map((fill) => fill.userId).filter((id): id is number => id !== null))];
  const names = new Map(
    ids.length === 0
      ? []
      : (await ctx.store.read(({ db, t }) => rows(db.select({ id: t.users.id, name: t.users.name }).from(t.users).where(inArray(t.users.id, ids))))).map(
          (user) => [user.id, user.name] as const,
        ),
  );
  return views.map((view) => {
    const { used, reserved, remaining, resetsAt, userId } = fills.get(view.id)!;
    return { ...view, used, reserved, remaining, resetsAt, fullestUser: userId === null ? null : (names.get(userId) ?? null) };
  });
}

/** A limit and how full it is now. */
export interface LimitWithFill extends LimitView {
  used: number;
  reserved: number;
  remaining: number;
  resetsAt: string | null;
  /** For a default limit: the user whose figures these are. */
  fullestUser: string | null;
}

/** The limits that apply to `principal`'s calls: their user's, the default, their tokens', and those of Llms they may run. */
export function limitsOnCallsOf(all: OwnedLimit[], principal: Principal): LimitView[] {
  return all
    .filter(({ view, tokenUserId }) => {
      const { scope } = view;
      if (scope.default) return true;
      if (scope.token) return tokenUserId !== null && tokenUserId === principal.userId;
      if (scope.user) return scope.user === principal.userName;
      return scope.llm !== undefined && can(principal.bindings, "run", "llms", scope.llm);
    })
    .map(({ view }) => view);
}
