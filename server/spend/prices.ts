import { calcPrice, type ModelInfo, type Provider as TableProvider } from "@pydantic/genai-prices";
import type { Provider } from "../llms/providers";
import type { LlmPricing } from "../llms/schemas";
import type { TokenUsage } from "../proxy/usage";

/** Where a call's price came from: the Llm's own `pricing`, the bundled table, or nowhere (cost unknown). */
export type PriceSource = "llm" | "table" | "none";

export interface CallCost {
  /** USD; null when no price is known (never 0 for "unknown"). */
  costUsd: number | null;
  priceSource: PriceSource;
}

/** The bundled table's provider id for ours; self-hosted and CLI providers have no default price. */
const TABLE_PROVIDER: Partial<Record<Provider, string>> = { openai: "openai", anthropic: "anthropic", deepseek: "deepseek" };

/** USD per token of each kind. */
interface Rates {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  cacheWrite1h: number;
}

/**
 * A model found in the table. Its price is linear in the token counts while the prompt stays
 * below the first long-context tier and the price does not depend on the date or the time of
 * day; `rates` holds that linear price (null when it depends on the clock).
 */
interface TableModel {
  provider: TableProvider;
  model: ModelInfo;
  rates: Rates | null;
  /** Prompts larger than this are priced by the table itself (a long-context tier applies). */
  linearUpTo: number;
}

const PER_MILLION = 1_000_000;
export const NO_COST: CallCost = { costUsd: null, priceSource: "none" };
const tableModels = new Map<string, TableModel | null>();

/** The table's usage object: input counts every prompt token, cache reads and writes included. */
function tableUsage(usage: TokenUsage): Record<string, number> {
  return {
    input_tokens: usage.promptTokens ?? 0,
    cache_read_tokens: usage.cacheReadTokens ?? 0,
    cache_write_tokens: usage.cacheWriteTokens ?? 0,
    cache_write_1h_tokens: usage.cacheWrite1hTokens ?? 0,
    output_tokens: usage.completionTokens ?? 0,
  };
}

function tierStarts(model: ModelInfo): number {
  let lowest = Number.POSITIVE_INFINITY;
  const prices = Array.isArray(model.prices) ? model.prices.map((conditional) => conditional.prices) : [model.prices];
  for (const price of prices) {
    for (const value of Object.values(price)) {
      if (value && typeof value === "object") for (const tier of value.tiers) lowest = Math.min(lowest, tier.start);
    }
  }
  return lowest;
}

/**
 * Looks the model up once. The table's own arithmetic (`calcPrice`) matches the model name on
 * every call, which costs more than the rest of a request's accounting; its linear price is read
 * back from it once, a token of each kind at a time, and reused.
 */
function tableModel(provider: string, modelName: string): TableModel | null {
  const key = `${provider}\u0000${modelName}`;
  const known = tableModels.get(key);
  if (known !== undefined) return known;
  const found = calcPrice({ input_tokens: 1 }, modelName, { providerId: provider });
  let entry: TableModel | null = null;
  if (found) {
    const single: TableProvider = { ...found.provider, models: [found.model] };
    const price = (usage: Record<string, number>) => calcPrice(usage, modelName, { provider: single })!.total_price;
    const rates = Array.isArray(found.model.prices)
      ? null
      : {
          input: price({ input_tokens: 1 }),
          output: price({ output_tokens: 1 }),
          cacheRead: price({ input_tokens: 1, cache_read_tokens: 1 }),
          cacheWrite: price({ input_tokens: 1, cache_write_tokens: 1 }),
          cacheWrite1h: price({ input_tokens: 1, cache_write_tokens: 1, cache_write_1h_tokens: 1 }),
        };
    entry = { provider: single, model: found.model, rates, linearUpTo: tierStarts(found.model) };
  }
  tableModels.set(key, entry);
  return entry;
}

function linearCost(rates: Rates, usage: TokenUsage): number {
  const prompt = usage.promptTokens ?? 0;
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const cacheWrite1h = usage.cacheWrite1hTokens ?? 0;
  const uncached = Math.max(0, prompt - cacheRead - cacheWrite);
  return (
    uncached * rates.input +
    cacheRead * rates.cacheRead +
    (cacheWrite - cacheWrite1h) * rates.cacheWrite +
    cacheWrite1h * rates.cacheWrite1h +
    (usage.completionTokens ?? 0) * rates.output
  );
}

function pricingRates(pricing: LlmPricing): Rates {
  const cacheWrite = (pricing.cacheWrite ?? pricing.input) / PER_MILLION;
  return {
    input: pricing.input / PER_MILLION,
    output: pricing.output / PER_MILLION,
    cacheRead: (pricing.cacheRead ?? pricing.input) / PER_MILLION,
    cacheWrite,
    cacheWrite1h: cacheWrite,
  };
}

/** What a call cost: the Llm's `pricing` when it has one, else the bundled table by provider and model. */
export function priceCall(llm: { provider: Provider; model: string; pricing: LlmPricing | null }, usage: TokenUsage | null, at = new Date()): CallCost {
  // Without both counts the cost is unknown, not zero.
  if (!usage || usage.promptTokens === null || usage.completionTokens === null) return NO_COST;
  if (llm.pricing) return { costUsd: linearCost(pricingRates(llm.pricing), usage), priceSource: "llm" };
  const provider = TABLE_PROVIDER[llm.provider];
  const entry = provider ? tableModel(provider, llm.model) : null;
  if (!entry) return NO_COST;
  if (entry.rates && (usage.promptTokens ?? 0) <= entry.linearUpTo) return { costUsd: linearCost(entry.rates, usage), priceSource: "table" };
  const priced = calcPrice(tableUsage(usage), llm.model, { provider: entry.provider, timestamp: at });
  return priced ? { costUsd: priced.total_price, priceSource: "table" } : NO_COST;
}
