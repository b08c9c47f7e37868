import { eq } from "drizzle-orm";
import { one } from "../../db/program";
import type { llms } from "../../db/sqlite/schema";
import { recordInTransaction } from "../audit/record";
import type { Context } from "../context";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { ConflictError } from "../errors";
import { checkLlmFields } from "./check-fields";
import { addAllowedOrigin, authorizeKeyDestination, llmTarget, type KeyDestination } from "./key-destination";
import { storedPricing } from "./pricing";
import { authorizeRouteTargets, checkNotTargeted, checkRouting, storedRouting } from "./routing";
import { UpdateLlmInput, type LlmView } from "./schemas";
import { findLlm, toLlmView, type LlmRow } from "./view";

/** Changes the given fields; `null` clears an optional field, an absent key keeps it. */
export async function updateLlm({ ctx, input }: { ctx: Context; input: UpdateLlmInput }): Promise<LlmView> {
  authorize(ctx, "edit", "llms", input.name);
  const parsed = parseInput(UpdateLlmInput, input);
  const before = await ctx.store.read((scope) => findLlm(scope, parsed.name));
  const destination = (row: Pick<LlmRow, "provider" | "url" | "apiKeySecret" | "apiKeyKey">): KeyDestination => ({
    provider: row.provider,
    url: row.url ?? null,
    apiKeyRef: row.apiKeySecret && row.apiKeyKey ? { secret: row.apiKeySecret, key: row.apiKeyKey } : null,
  });
  const requested = destination({
    provider: parsed.provider ?? before.provider,
    url: parsed.url === undefined ? before.url : parsed.url,
    apiKeySecret: parsed.apiKeyRef === undefined ? before.apiKeySecret : (parsed.apiKeyRef?.secret ?? null),
    apiKeyKey: parsed.apiKeyRef === undefined ? before.apiKeyKey : (parsed.apiKeyRef?.key ?? null),
  });
  const addition = await authorizeKeyDestination(ctx, parsed.name, destination(before), requested);
  const routing = parsed.routing === undefined ? before.routing : storedRouting(before.routing, parsed.routing);
  if (parsed.routing !== undefined) authorizeRouteTargets(ctx, routing);
  return ctx.store.change(function* (scope) {
    const { db, t } = scope;
    const current = yield* findLlm(scope, parsed.name);
    const next: Partial<typeof llms.$inferInsert> = { updatedAt: Date.now() };
    if (parsed.provider !== undefined) next.provider = parsed.provider;
    if (parsed.model !== undefined) next.model = parsed.model;
    // A route has no model of its own: an Llm made a route loses its model.
    if (parsed.provider === "route" && parsed.model === undefined) next.model = "";
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
    // Capabilities merge: a field not given keeps its value; null resets them all to the defaults.
    if (parsed.capabilities !== undefined) {
      const given = Object.entries(parsed.capabilities ?? {}).filter(([, value]) => value !== undefined);
      next.capabilities = parsed.capabilities
        ? JSON.stringify({ ...(current.capabilities ? JSON.parse(current.capabilities) : {}), ...Object.fromEntries(given) })
        : null;
    }
    if (parsed.pricing !== undefined) next.pricing = storedPricing(current.pricing, parsed.pricing);
    if (parsed.routing !== undefined) next.routing = storedRouting(current.routing, parsed.routing);
    const merged = { ...current, ...next };
    // Another writer moved the key in between: what was authorized no longer describes the change.
    if (JSON.stringify(destination(current)) !== JSON.stringify(destination(before)))
      throw new ConflictError(`llm '${parsed.name}' changed meanwhile; try again`);
    // The targets were authorized as read before the transaction: another writer changing them meanwhile is a conflict too.
    if (parsed.routing !== undefined && current.routing !== before.routing) throw new ConflictError(`llm '${parsed.name}' changed meanwhile; try again`);
    if (merged.provider === "route" && current.provider !== "route") yield* checkNotTargeted(scope, parsed.name, "made a route");
    yield* checkRouting(scope, {
      name: parsed.name,
      ...destination(merged),
      model: merged.model,
      geminiPath: merged.geminiPath ?? null,
      routing: merged.routing ?? null,
    });
    yield* checkLlmFields(scope, ctx.store.config, { ...destination(merged), model: merged.model, geminiPath: merged.geminiPath ?? null });
    if (addition) yield* addAllowedOrigin(scope, addition);
    const row = yield* one(db.update(t.llms).set(next).where(eq(t.llms.id, current.id)).returning());
    yield* recordInTransaction(scope, { event: "llm_updated", principal: ctx.principal, target: llmTarget(parsed.name, addition), clientIp: ctx.clientIp });
    return toLlmView(row!);
  });
}
