import type { Context } from "../context";
import { can } from "../rbac/permissions";
import type { LimitView } from "./schemas";
import { allLimits } from "./view";

/**
 * Every limit for holders of `view:limits`; anyone else sees the limits that apply to their own
 * calls: their user's, the default, their tokens', and those of Llms they may run.
 */
export async function listLimits({ ctx }: { ctx: Context }): Promise<LimitView[]> {
  const all = await ctx.store.read(allLimits);
  if (can(ctx.principal.bindings, "view", "limits")) return all.map(({ view }) => view);
  const { principal } = ctx;
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
