import { eq } from "drizzle-orm";
import { one } from "../../db/program";
import { recordInTransaction } from "../audit/record";
import type { Context } from "../context";
import { ConflictError } from "../errors";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { checkLlmFields } from "./check-fields";
import { storedPricing } from "./pricing";
import { authorizeRouteTargets, checkRouting, storedRouting } from "./routing";
import { addAllowedOrigin, authorizeKeyDestination, llmTarget } from "./key-destination";
import { CreateLlmInput, type LlmView } from "./schemas";
import { toLlmView } from "./view";

export async function createLlm({ ctx, input }: { ctx: Context; input: CreateLlmInput }): Promise<LlmView> {
  authorize(ctx, "create", "llms", input.name);
  const parsed = parseInput(CreateLlmInput, input);
  const destination = { provider: parsed.provider, url: parsed.url ?? null, apiKeyRef: parsed.apiKeyRef ?? null };
  const addition = await authorizeKeyDestination(ctx, parsed.name, null, destination);
  const routing = parsed.routing ? storedRouting(null, parsed.routing) : null;
  authorizeRouteTargets(ctx, routing);
  const model = parsed.model ?? "";
  const now = Date.now();
  return ctx.store.change(function* (scope) {
    const { db, t } = scope;
    if (yield* one(db.select({ id: t.llms.id }).from(t.llms).where(eq(t.llms.name, parsed.name)))) {
      throw new ConflictError(`llm '${parsed.name}' already exists`, "name");
    }
    yield* checkRouting(scope, { name: parsed.name, ...destination, model, geminiPath: parsed.geminiPath ?? null, routing });
    yield* checkLlmFields(scope, ctx.store.config, { ...destination, model, geminiPath: parsed.geminiPath ?? null });
    if (addition) yield* addAllowedOrigin(scope, addition);
    const row = yield* one(
      db
        .insert(t.llms)
        .values({
          name: parsed.name,
          provider: parsed.provider,
          model,
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
          pricing: storedPricing(null, parsed.pricing ?? null),
          routing,
          createdAt: now,
          updatedAt: now,
        })
        .returning(),
    );
    yield* recordInTransaction(scope, { event: "llm_created", principal: ctx.principal, target: llmTarget(parsed.name, addition), clientIp: ctx.clientIp });
    return toLlmView(row!);
  });
}
