import { and, eq, isNull } from "drizzle-orm";
import { one } from "../../db/program";
import { recordInTransaction, recordSoon } from "../audit/record";
import type { Context } from "../context";
import { AppError, ConflictError } from "../errors";
import { authorize } from "../rbac/authorize";
import { holdsEverything, type Binding } from "../rbac/permissions";
import { findUser } from "../users/find";
import { parseInput } from "../validation";
import { CreateBindingInput, type BindingView } from "./schemas";

/** No escalation: the caller needs `create:rolebindings` and every permission the binding grants. */
export async function createBinding({ ctx, input }: { ctx: Context; input: CreateBindingInput }): Promise<BindingView> {
  authorize(ctx, "create", "rolebindings", input.user);
  const parsed = parseInput(CreateBindingInput, input);
  const granted: Binding = { role: parsed.role, resource: parsed.resource, name: parsed.name ?? null };
  if (!holdsEverything(ctx.principal.bindings, [granted])) {
    const description = `${parsed.role} on ${parsed.resource}${parsed.name ? `:${parsed.name}` : ""}`;
    recordSoon(ctx.store, {
      event: "permission_denied",
      principal: ctx.principal,
      target: `rolebinding ${description} for ${parsed.user}`,
      clientIp: ctx.clientIp,
    });
    throw new AppError("forbidden", `cannot grant ${description}: you do not hold every permission it grants`);
  }
  return ctx.store.change(function* (scope) {
    const { db, t } = scope;
    const user = yield* findUser(scope, parsed.user);
    const nameCondition = granted.name === null ? isNull(t.roleBindings.name) : eq(t.roleBindings.name, granted.name);
    const existing = yield* one(
      db
        .select({ id: t.roleBindings.id })
        .from(t.roleBindings)
        .where(and(eq(t.roleBindings.userId, user.id), eq(t.roleBindings.role, granted.role), eq(t.roleBindings.resource, granted.resource), nameCondition)),
    );
    if (existing) throw new ConflictError(`user '${user.name}' already has this binding (id ${existing.id})`);
    const row = (yield* one(
      db
        .insert(t.roleBindings)
        .values({ userId: user.id, role: granted.role, resource: granted.resource, name: granted.name, createdAt: Date.now() })
        .returning(),
    ))!;
    yield* recordInTransaction(scope, {
      event: "rolebinding_created",
      principal: ctx.principal,
      target: `rolebinding ${row.id}: ${user.name} ${row.role} ${row.resource}${row.name ? `:${row.name}` : ""}`,
      clientIp: ctx.clientIp,
    });
    return { id: row.id, user: user.name, role: row.role, resource: granted.resource, name: row.name, createdAt: row.createdAt };
  });
}
