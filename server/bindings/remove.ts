import { eq } from "drizzle-orm";
import { getDb } from "../../db/client";
import { roleBindings, users } from "../../db/schema";
import { recordInTransaction } from "../audit/record";
import { runConfigChange } from "../changes";
import type { Context } from "../context";
import { NotFoundError } from "../errors";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { keepLastAdminBinding } from "../users/guard";
import { BindingIdInput } from "./schemas";

export function removeBinding({ ctx, input }: { ctx: Context; input: BindingIdInput }): void {
  const parsed = parseInput(BindingIdInput, input);
  const row = getDb()
    .select({
      id: roleBindings.id,
      userId: roleBindings.userId,
      user: users.name,
      role: roleBindings.role,
      resource: roleBindings.resource,
      name: roleBindings.name,
    })
    .from(roleBindings)
    .innerJoin(users, eq(users.id, roleBindings.userId))
    .where(eq(roleBindings.id, parsed.id))
    .get();
  // Authorize before revealing whether the id exists.
  authorize(ctx, "delete", "rolebindings", row?.user ?? null);
  if (!row) throw new NotFoundError("rolebinding", String(parsed.id));
  runConfigChange((tx) => {
    keepLastAdminBinding(tx, row);
    tx.delete(roleBindings).where(eq(roleBindings.id, row.id)).run();
    recordInTransaction(tx, {
      event: "rolebinding_deleted",
      principal: ctx.principal,
      target: `rolebinding ${row.id}: ${row.user} ${row.role} ${row.resource}${row.name ? `:${row.name}` : ""}`,
      clientIp: ctx.clientIp,
    });
  });
}
