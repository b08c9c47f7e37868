import { and, eq, isNull, ne } from "drizzle-orm";
import { one, rows, type Program, type Scope } from "../../db/program";
import type { Context } from "../context";
import { ConflictError } from "../errors";
import { authorize } from "../rbac/authorize";
import { can, expandBinding, type Binding, type Verb } from "../rbac/permissions";

function* bindingsOf({ db, t }: Scope, userName: string): Program<Binding[]> {
  return (yield* rows(
    db
      .select({ role: t.roleBindings.role, resource: t.roleBindings.resource, name: t.roleBindings.name })
      .from(t.roleBindings)
      .innerJoin(t.users, eq(t.users.id, t.roleBindings.userId))
      .where(eq(t.users.name, userName)),
  )) as Binding[];
}

/**
 * Acting on another user (password, disable, enable, delete) needs the verb on that user and
 * every permission the user holds, so nobody can take over an account stronger than their own.
 */
export async function authorizeActOnUser(ctx: Context, verb: Verb, userName: string): Promise<void> {
  authorize(ctx, verb, "users", userName);
  for (const binding of await ctx.store.read((scope) => bindingsOf(scope, userName))) {
    for (const permission of expandBinding(binding)) {
      if (!can(ctx.principal.bindings, permission.verb, permission.resource, permission.name)) {
        authorize(ctx, permission.verb, permission.resource, permission.name, `to act on user '${userName}', who holds it`);
      }
    }
  }
}

const isFullAdmin = ({ t }: Scope) => and(eq(t.roleBindings.role, "admin"), eq(t.roleBindings.resource, "*"), isNull(t.roleBindings.name));

/** Enabled users other than `userId` who hold admin on everything. */
function* otherAdmins(scope: Scope, userId: number): Program<number> {
  const { db, t } = scope;
  const admins = yield* rows(
    db
      .select({ id: t.users.id })
      .from(t.users)
      .innerJoin(t.roleBindings, eq(t.roleBindings.userId, t.users.id))
      .where(and(isFullAdmin(scope), eq(t.users.disabled, false), ne(t.users.id, userId))),
  );
  return admins.length;
}

/** Inside the transaction: the last enabled admin on everything cannot be disabled or deleted. */
export function* keepLastAdmin(scope: Scope, user: { id: number; name: string }, action: string): Program<void> {
  const { db, t } = scope;
  const isAdmin = yield* one(
    db
      .select({ id: t.roleBindings.id })
      .from(t.roleBindings)
      .where(and(isFullAdmin(scope), eq(t.roleBindings.userId, user.id))),
  );
  if (isAdmin && (yield* otherAdmins(scope, user.id)) === 0)
    throw new ConflictError(`user '${user.name}' is the last admin and cannot be ${action}; make another user admin first`);
}

/** Inside the transaction: removing this binding must not leave the gateway without an enabled admin. */
export function* keepLastAdminBinding(
  scope: Scope,
  binding: { userId: number; user: string; role: string; resource: string; name: string | null },
): Program<void> {
  if (binding.role !== "admin" || binding.resource !== "*" || binding.name !== null) return;
  const { db, t } = scope;
  const holder = yield* one(db.select({ disabled: t.users.disabled }).from(t.users).where(eq(t.users.id, binding.userId)));
  if (!holder?.disabled && (yield* otherAdmins(scope, binding.userId)) === 0) {
    throw new ConflictError(`this is the last admin binding of the last admin ('${binding.user}'); make another user admin first`);
  }
}
