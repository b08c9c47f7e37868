import { ValidationError } from "../errors";
import type { LlmPricing } from "./schemas";

/**
 * The `pricing` column after a change: the fields given replace those set (null removes a cache
 * price), and a null change returns the Llm to the bundled price table. Input and output prices
 * are both needed once an Llm has prices of its own.
 */
export function storedPricing(current: string | null, change: Partial<LlmPricing> | null): string | null {
  if (change === null) return null;
  const merged = { ...(current ? (JSON.parse(current) as LlmPricing) : {}), ...change };
  const pricing = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== null && value !== undefined));
  for (const field of ["input", "output"] as const) {
    if (pricing[field] === undefined) throw new ValidationError(`pricing.${field}: required when an llm has prices of its own`, `pricing.${field}`);
  }
  return JSON.stringify(pricing);
}
