import { eq } from "drizzle-orm";
import { run } from "../../db/program";
import { recordInTransaction } from "../audit/record";
import type { Context } from "../context";
import { NotFoundError } from "../errors";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { LimitIdInput } from "./schemas";
import { describeLimit } from "./describe";
import { findLimit } from "./view";

export async function removeLimit({ ctx, input }: { ctx: Context; input: { id: number } }): Promise<void> {
  authorize(ctx, "delete", "limits");
  const parsed = parseInput(LimitIdInput, input);
  await ctx.store.change(function* (scope) {
    const current = yield* findLimit(scope, parsed.id);
    if (!current) throw new NotFoundError("limit", String(parsed.id));
    yield* run(scope.db.delete(scope.t.limits).where(eq(scope.t.limits.id, parsed.id)));
    yield* recordInTransaction(scope, {
      event: "limit_deleted",
      principal: ctx.principal,
      target: `limit ${current.id}: ${describeLimit(current)}`,
      clientIp: ctx.clientIp,
    });
  });
}
