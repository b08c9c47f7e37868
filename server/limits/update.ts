import { eq } from "drizzle-orm";
import { run } from "../../db/program";
import { recordInTransaction } from "../audit/record";
import type { Context } from "../context";
import { NotFoundError, ValidationError } from "../errors";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { maxProblem, UpdateLimitInput, type LimitView } from "./schemas";
import { describeLimit } from "./describe";
import { findLimit } from "./view";

/** Changes a limit's max (its scope, metric and window are what it is: delete and create another). */
export async function updateLimit({ ctx, input }: { ctx: Context; input: UpdateLimitInput }): Promise<LimitView> {
  authorize(ctx, "edit", "limits");
  const parsed = parseInput(UpdateLimitInput, input);
  return ctx.store.change(function* (scope) {
    const { db, t } = scope;
    const current = yield* findLimit(scope, parsed.id);
    if (!current) throw new NotFoundError("limit", String(parsed.id));
    const problem = maxProblem(current.metric, parsed.max);
    if (problem) throw new ValidationError(`max: ${problem}`, "max");
    const updatedAt = Date.now();
    yield* run(db.update(t.limits).set({ max: parsed.max, updatedAt }).where(eq(t.limits.id, parsed.id)));
    const view = { ...current, max: parsed.max, updatedAt };
    yield* recordInTransaction(scope, {
      event: "limit_updated",
      principal: ctx.principal,
      target: `limit ${view.id}: ${describeLimit(view)} (was ${current.max})`,
      clientIp: ctx.clientIp,
    });
    return view;
  });
}
