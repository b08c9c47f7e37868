import { asc, eq } from "drizzle-orm";
import { rows } from "../../db/program";
import type { Context } from "../context";
import { can } from "../rbac/permissions";
import type { BindingView } from "./schemas";

/** Bindings the caller may view (by the bound user's name), and always their own. */
export async function listBindings({ ctx }: { ctx: Context }): Promise<BindingView[]> {
  const all = await ctx.store.read(({ db, t }) =>
    rows(
      db
        .select({
          id: t.roleBindings.id,
          user: t.users.name,
          role: t.roleBindings.role,
          resource: t.roleBindings.resource,
          name: t.roleBindings.name,
          createdAt: t.roleBindings.createdAt,
        })
        .from(t.roleBindings)
        .innerJoin(t.users, eq(t.users.id, t.roleBindings.userId))
        .orderBy(asc(t.users.name), asc(t.roleBindings.id)),
    ),
  );
  return all
    .filter((row) => row.user === ctx.principal.userName || can(ctx.principal.bindings, "view", "rolebindings", row.user))
    .map((row) => ({ ...row, resource: row.resource as BindingView["resource"] }));
}
