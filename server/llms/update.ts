import { eq } from "drizzle-orm";
import { llms } from "../../db/schema";
import { recordInTransaction } from "../audit/record";
import { runConfigChange } from "../changes";
import type { Context } from "../context";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { checkLlmFields } from "./check-fields";
import { UpdateLlmInput, type LlmView } from "./schemas";
import { findLlm, toLlmView } from "./view";

/** Changes the given fields; `null` clears an optional field, an absent key keeps it. */
export function updateLlm({ ctx, input }: { ctx: Context; input: UpdateLlmInput }): LlmView {
  authorize(ctx, "edit", "llms", input.name);
  const parsed = parseInput(UpdateLlmInput, input);
  return runConfigChange((tx) => {
    const current = findLlm(parsed.name, tx);
    const next: Partial<typeof llms.$inferInsert> = { updatedAt: Date.now() };
    if (parsed.provider !== undefined) next.provider = parsed.provider;
    if (parsed.model !== undefined) next.model = parsed.model;
    if (parsed.url !== undefined) next.url = parsed.url;
    if (parsed.apiKeyRef !== undefined) {
      next.apiKeySecret = parsed.apiKeyRef?.secret ?? null;
      next.apiKeyKey = parsed.apiKeyRef?.key ?? null;
    }
    if (parsed.description !== undefined) next.description = parsed.description;
    if (parsed.defaults !== undefined) next.defaults = parsed.defaults ? JSON.stringify(parsed.defaults) : null;
    if (parsed.timeoutMs !== undefined) next.timeoutMs = parsed.timeoutMs;
    if (parsed.streamUsage !== undefined) next.streamUsage = parsed.streamUsage;
    if (parsed.geminiPath !== undefined) next.geminiPath = parsed.geminiPath;
    if (parsed.maxConcurrency !== undefined) next.maxConcurrency = parsed.maxConcurrency;
    const merged = { ...current, ...next };
    const apiKeyRef = merged.apiKeySecret && merged.apiKeyKey ? { secret: merged.apiKeySecret, key: merged.apiKeyKey } : null;
    checkLlmFields(tx, { provider: merged.provider, url: merged.url ?? null, apiKeyRef, geminiPath: merged.geminiPath ?? null });
    const row = tx.update(llms).set(next).where(eq(llms.id, current.id)).returning().get();
    recordInTransaction(tx, { event: "llm_updated", principal: ctx.principal, target: `llm ${parsed.name}`, clientIp: ctx.clientIp });
    return toLlmView(row);
  });
}
