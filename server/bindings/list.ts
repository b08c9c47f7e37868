import { asc, eq } from "drizzle-orm";
import { getDb } from "../../db/client";
import { roleBindings, users } from "../../db/schema";
import type { Context } from "../context";
import { can } from "../rbac/permissions";
import type { BindingView } from "./schemas";

/** Bindings the caller may view (by the bound user's name), and always their own. */
export function listBindings({ ctx }: { ctx: Context }): BindingView[] {
  return getDb()
    .select({
      id: roleBindings.id,
      user: users.name,
      role: roleBindings.role,
      resource: roleBindings.resource,
      name: roleBindings.name,
      createdAt: roleBindings.createdAt,
    })
    .from(roleBindings)
    .innerJoin(users, eq(users.id, roleBindings.userId))
    .orderBy(asc(users.name), asc(roleBindings.id))
    .all()
    .filter((row) => row.user === ctx.principal.userName || can(ctx.principal.bindings, "view", "rolebindings", row.user))
    .map((row) => ({ ...row, resource: row.resource as BindingView["resource"] }));
}
