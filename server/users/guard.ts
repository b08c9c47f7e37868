import { and, eq, isNull, ne } from "drizzle-orm";
import { getDb } from "../../db/client";
import { roleBindings, users } from "../../db/schema";
import type { Queryable } from "../changes";
import type { Context } from "../context";
import { ConflictError } from "../errors";
import { authorize } from "../rbac/authorize";
import { can, expandBinding, type Binding, type Verb } from "../rbac/permissions";

function bindingsOf(userName: string, tx: Queryable): Binding[] {
  return tx
    .select({ role: roleBindings.role, resource: roleBindings.resource, name: roleBindings.name })
    .from(roleBindings)
    .innerJoin(users, eq(users.id, roleBindings.userId))
    .where(eq(users.name, userName))
    .all() as Binding[];
}

/**
 * Acting on another user (password, disable, enable, delete) needs the verb on that user and
 * every permission the user holds, so nobody can take over an account stronger than their own.
 */
export function authorizeActOnUser(ctx: Context, verb: Verb, userName: string): void {
  authorize(ctx, verb, "users", userName);
  for (const binding of bindingsOf(userName, getDb())) {
    for (const permission of expandBinding(binding)) {
      if (!can(ctx.principal.bindings, permission.verb, permission.resource, permission.name)) {
        authorize(ctx, permission.verb, permission.resource, permission.name, `to act on user '${userName}', who holds it`);
      }
    }
  }
}

const isFullAdmin = and(eq(roleBindings.role, "admin"), eq(roleBindings.resource, "*"), isNull(roleBindings.name));

/** Enabled users other than `userId` who hold admin on everything. */
function otherAdmins(tx: Queryable, userId: number): number {
  return tx
    .select({ id: users.id })
    .from(users)
    .innerJoin(roleBindings, eq(roleBindings.userId, users.id))
    .where(and(isFullAdmin, eq(users.disabled, false), ne(users.id, userId)))
    .all().length;
}

/** Inside the transaction: the last enabled admin on everything cannot be disabled or deleted. */
export function keepLastAdmin(tx: Queryable, user: { id: number; name: string }, action: string): void {
  const isAdmin = tx
    .select({ id: roleBindings.id })
    .from(roleBindings)
    .where(and(isFullAdmin, eq(roleBindings.userId, user.id)))
    .get();
  if (isAdmin && otherAdmins(tx, user.id) === 0)
    throw new ConflictError(`user '${user.name}' is the last admin and cannot be ${action}; make another user admin first`);
}

/** Inside the transaction: removing this binding must not leave the gateway without an enabled admin. */
export function keepLastAdminBinding(tx: Queryable, binding: { userId: number; user: string; role: string; resource: string; name: string | null }): void {
  if (binding.role !== "admin" || binding.resource !== "*" || binding.name !== null) return;
  const holder = tx.select({ disabled: users.disabled }).from(users).where(eq(users.id, binding.userId)).get();
  if (!holder?.disabled && otherAdmins(tx, binding.userId) === 0) {
    throw new ConflictError(`this is the last admin binding of the last admin ('${binding.user}'); make another user admin first`);
  }
}
