import { and, eq, isNull } from "drizzle-orm";
import { roleBindings } from "../../db/schema";
import { recordInTransaction, recordNow } from "../audit/record";
import { runConfigChange } from "../changes";
import type { Context } from "../context";
import { AppError, ConflictError } from "../errors";
import { authorize } from "../rbac/authorize";
import { holdsEverything, type Binding } from "../rbac/permissions";
import { findUser } from "../users/find";
import { parseInput } from "../validation";
import { CreateBindingInput, type BindingView } from "./schemas";

/** No escalation: the caller needs `create:rolebindings` and every permission the binding grants. */
export function createBinding({ ctx, input }: { ctx: Context; input: CreateBindingInput }): BindingView {
  authorize(ctx, "create", "rolebindings", input.user);
  const parsed = parseInput(CreateBindingInput, input);
  const granted: Binding = { role: parsed.role, resource: parsed.resource, name: parsed.name ?? null };
  if (!holdsEverything(ctx.principal.bindings, [granted])) {
    const description = `${parsed.role} on ${parsed.resource}${parsed.name ? `:${parsed.name}` : ""}`;
    recordNow({ event: "permission_denied", principal: ctx.principal, target: `rolebinding ${description} for ${parsed.user}`, clientIp: ctx.clientIp });
    throw new AppError("forbidden", `cannot grant ${description}: you do not hold every permission it grants`);
  }
  return runConfigChange((tx) => {
    const user = findUser(parsed.user, tx);
    const nameCondition = granted.name === null ? isNull(roleBindings.name) : eq(roleBindings.name, granted.name);
    const existing = tx
      .select({ id: roleBindings.id })
      .from(roleBindings)
      .where(and(eq(roleBindings.userId, user.id), eq(roleBindings.role, granted.role), eq(roleBindings.resource, granted.resource), nameCondition))
      .get();
    if (existing) throw new ConflictError(`user '${user.name}' already has this binding (id ${existing.id})`);
    const row = tx
      .insert(roleBindings)
      .values({ userId: user.id, role: granted.role, resource: granted.resource, name: granted.name, createdAt: Date.now() })
      .returning()
      .get();
    recordInTransaction(tx, {
      event: "rolebinding_created",
      principal: ctx.principal,
      target: `rolebinding ${row.id}: ${user.name} ${row.role} ${row.resource}${row.name ? `:${row.name}` : ""}`,
      clientIp: ctx.clientIp,
    });
    return { id: row.id, user: user.name, role: row.role, resource: granted.resource, name: row.name, createdAt: row.createdAt };
  });
}
