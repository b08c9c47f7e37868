import { eq } from "drizzle-orm";
import { one, run } from "../../db/program";
import { recordInTransaction } from "../audit/record";
import type { Context } from "../context";
import { NotFoundError } from "../errors";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { keepLastAdminBinding } from "../users/guard";
import { BindingIdInput } from "./schemas";

export async function removeBinding({ ctx, input }: { ctx: Context; input: BindingIdInput }): Promise<void> {
  const parsed = parseInput(BindingIdInput, input);
  const row = await ctx.store.read(({ db, t }) =>
    one(
      db
        .select({
          id: t.roleBindings.id,
          userId: t.roleBindings.userId,
          user: t.users.name,
          role: t.roleBindings.role,
          resource: t.roleBindings.resource,
          name: t.roleBindings.name,
        })
        .from(t.roleBindings)
        .innerJoin(t.users, eq(t.users.id, t.roleBindings.userId))
        .where(eq(t.roleBindings.id, parsed.id)),
    ),
  );
  // Authorize before revealing whether the id exists.
  authorize(ctx, "delete", "rolebindings", row?.user ?? null);
  if (!row) throw new NotFoundError("rolebinding", String(parsed.id));
  await ctx.store.change(function* (scope) {
    yield* keepLastAdminBinding(scope, row);
    yield* run(scope.db.delete(scope.t.roleBindings).where(eq(scope.t.roleBindings.id, row.id)));
    yield* recordInTransaction(scope, {
      event: "rolebinding_deleted",
      principal: ctx.principal,
      target: `rolebinding ${row.id}: ${row.user} ${row.role} ${row.resource}${row.name ? `:${row.name}` : ""}`,
      clientIp: ctx.clientIp,
    });
  });
}
