import { eq } from "drizzle-orm";
import { llms } from "../../db/schema";
import { recordInTransaction } from "../audit/record";
import { runConfigChange } from "../changes";
import type { Context } from "../context";
import { ConflictError } from "../errors";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { checkLlmFields } from "./check-fields";
import { addAllowedOrigin, authorizeKeyDestination, llmTarget } from "./key-destination";
import { CreateLlmInput, type LlmView } from "./schemas";
import { toLlmView } from "./view";

export function createLlm({ ctx, input }: { ctx: Context; input: CreateLlmInput }): LlmView {
  authorize(ctx, "create", "llms", input.name);
  const parsed = parseInput(CreateLlmInput, input);
  const destination = { provider: parsed.provider, url: parsed.url ?? null, apiKeyRef: parsed.apiKeyRef ?? null };
  const addition = authorizeKeyDestination(ctx, parsed.name, null, destination);
  const now = Date.now();
  return runConfigChange((tx) => {
    if (tx.select({ id: llms.id }).from(llms).where(eq(llms.name, parsed.name)).get()) {
      throw new ConflictError(`llm '${parsed.name}' already exists`, "name");
    }
    checkLlmFields(tx, { ...destination, model: parsed.model, geminiPath: parsed.geminiPath ?? null });
    if (addition) addAllowedOrigin(tx, addition);
    const row = tx
      .insert(llms)
      .values({
        name: parsed.name,
        provider: parsed.provider,
        model: parsed.model,
        url: parsed.url ?? null,
        apiKeySecret: parsed.apiKeyRef?.secret ?? null,
        apiKeyKey: parsed.apiKeyRef?.key ?? null,
        description: parsed.description ?? null,
        defaults: parsed.defaults ? JSON.stringify(parsed.defaults) : null,
        timeoutMs: parsed.timeoutMs ?? null,
        streamUsage: parsed.streamUsage ?? true,
        geminiPath: parsed.geminiPath ?? null,
        maxConcurrency: parsed.maxConcurrency ?? null,
        capabilities: parsed.capabilities ? JSON.stringify(parsed.capabilities) : null,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    recordInTransaction(tx, { event: "llm_created", principal: ctx.principal, target: llmTarget(parsed.name, addition), clientIp: ctx.clientIp });
    return toLlmView(row);
  });
}
