import { eq } from "drizzle-orm";
import { llms } from "../../db/schema";
import { recordInTransaction } from "../audit/record";
import { runConfigChange } from "../changes";
import type { Context } from "../context";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { LlmNameInput } from "./schemas";
import { findLlm } from "./view";

export function removeLlm({ ctx, input }: { ctx: Context; input: LlmNameInput }): void {
  authorize(ctx, "delete", "llms", input.name);
  const parsed = parseInput(LlmNameInput, input);
  runConfigChange((tx) => {
    const llm = findLlm(parsed.name, tx);
    tx.delete(llms).where(eq(llms.id, llm.id)).run();
    recordInTransaction(tx, { event: "llm_deleted", principal: ctx.principal, target: `llm ${parsed.name}`, clientIp: ctx.clientIp });
  });
}
