/**
 * A call's tokens in one shape for every provider and both modes; null where the provider
 * reported nothing. `promptTokens` counts every input token, cache reads and writes included;
 * `completionTokens` every output token, reasoning included.
 */
export interface TokenUsage {
  promptTokens: number | null;
  completionTokens: number | null;
  totalTokens: number | null;
  /** Of the prompt: read from the provider's prompt cache. */
  cacheReadTokens: number | null;
  /** Of the prompt: written to the prompt cache (all lifetimes). */
  cacheWriteTokens: number | null;
  /** Of the cache writes: those kept an hour (priced higher than the 5-minute ones). */
  cacheWrite1hTokens: number | null;
  /** Of the completion: reasoning ("thinking") tokens. */
  reasoningTokens: number | null;
}

function count(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : null;
}

function field(value: unknown, name: string): unknown {
  return value && typeof value === "object" ? (value as Record<string, unknown>)[name] : undefined;
}

/**
 * Reads an OpenAI `usage` object (pass-through providers). `prompt_tokens` already includes the
 * cached tokens (`prompt_tokens_details.cached_tokens`; DeepSeek says `prompt_cache_hit_tokens`).
 */
export function usageFromOpenAI(usage: unknown): TokenUsage | null {
  if (!usage || typeof usage !== "object") return null;
  const promptTokens = count(field(usage, "prompt_tokens"));
  const completionTokens = count(field(usage, "completion_tokens"));
  const totalTokens = count(field(usage, "total_tokens")) ?? (promptTokens !== null && completionTokens !== null ? promptTokens + completionTokens : null);
  if (promptTokens === null && completionTokens === null && totalTokens === null) return null;
  const promptDetails = field(usage, "prompt_tokens_details");
  return {
    promptTokens,
    completionTokens,
    totalTokens,
    cacheReadTokens: count(field(promptDetails, "cached_tokens")) ?? count(field(usage, "prompt_cache_hit_tokens")),
    cacheWriteTokens: count(field(promptDetails, "cache_write_tokens")),
    cacheWrite1hTokens: null,
    reasoningTokens: count(field(field(usage, "completion_tokens_details"), "reasoning_tokens")),
  };
}
