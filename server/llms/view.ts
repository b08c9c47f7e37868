import { eq } from "drizzle-orm";
import { one, type Program, type Scope } from "../../db/program";
import type { llms } from "../../db/sqlite/schema";
import { NotFoundError } from "../errors";
import { keyOrigin } from "./key-origin";
import { toRoutingView } from "./routing";
import { DEFAULT_CAPABILITIES, DEFAULT_URLS, type LlmCapabilities, type LlmDefaults, type LlmPricing, type LlmView } from "./schemas";

export type LlmRow = typeof llms.$inferSelect;

export function* findLlm({ db, t }: Scope, name: string): Program<LlmRow> {
  const llm = yield* one(db.select().from(t.llms).where(eq(t.llms.name, name)));
  if (!llm) throw new NotFoundError("llm", name);
  return llm;
}

export function toLlmView(row: LlmRow): LlmView {
  return {
    name: row.name,
    provider: row.provider,
    model: row.model,
    url: row.url,
    effectiveUrl: row.url ?? DEFAULT_URLS[row.provider],
    keyOrigin: keyOrigin(row.provider, row.url),
    apiKeyRef: row.apiKeySecret && row.apiKeyKey ? { secret: row.apiKeySecret, key: row.apiKeyKey } : null,
    description: row.description,
    defaults: row.defaults ? (JSON.parse(row.defaults) as LlmDefaults) : {},
    timeoutMs: row.timeoutMs,
    streamUsage: row.streamUsage,
    geminiPath: row.geminiPath,
    maxConcurrency: row.maxConcurrency,
    capabilities: { ...DEFAULT_CAPABILITIES, ...(row.capabilities ? (JSON.parse(row.capabilities) as LlmCapabilities) : {}) },
    pricing: row.pricing ? (JSON.parse(row.pricing) as LlmPricing) : null,
    routing: toRoutingView(row.routing),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
