import { eq } from "drizzle-orm";
import { run } from "../../db/program";
import { recordInTransaction } from "../audit/record";
import type { Context } from "../context";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { LlmNameInput } from "./schemas";
import { findLlm } from "./view";
import { checkNotTargeted } from "./routing";

export async function removeLlm({ ctx, input }: { ctx: Context; input: LlmNameInput }): Promise<void> {
  authorize(ctx, "delete", "llms", input.name);
  const parsed = parseInput(LlmNameInput, input);
  await ctx.store.change(function* (scope) {
    const llm = yield* findLlm(scope, parsed.name);
    yield* checkNotTargeted(scope, parsed.name, "deleted");
    yield* run(scope.db.delete(scope.t.llms).where(eq(scope.t.llms.id, llm.id)));
    yield* recordInTransaction(scope, { event: "llm_deleted", principal: ctx.principal, target: `llm ${parsed.name}`, clientIp: ctx.clientIp });
  });
}
