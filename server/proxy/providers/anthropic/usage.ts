import type { TokenUsage } from "../../usage";

/** Anthropic `usage` as sent in `Message.usage`, `message_start` and `message_delta`. */
export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  /** The cache writes by lifetime (`cache_creation_input_tokens` is their sum). */
  cache_creation?: { ephemeral_5m_input_tokens?: number | null; ephemeral_1h_input_tokens?: number | null } | null;
  output_tokens_details?: { thinking_tokens?: number | null } | null;
  [key: string]: unknown;
}

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number; cache_write_tokens: number };
  completion_tokens_details?: { reasoning_tokens: number };
}

const OVERRIDABLE_FIELDS = [
  "input_tokens",
  "cache_creation_input_tokens",
  "cache_read_input_tokens",
  "cache_creation",
  "output_tokens",
  "output_tokens_details",
] as const;

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** `prompt_tokens` counts cache reads and writes too, so prompt + completion = total. */
export function toOpenAIUsage(usage: AnthropicUsage | null | undefined): OpenAIUsage {
  const cacheWrite = count(usage?.cache_creation_input_tokens);
  const cacheRead = count(usage?.cache_read_input_tokens);
  const promptTokens = count(usage?.input_tokens) + cacheWrite + cacheRead;
  const completionTokens = count(usage?.output_tokens);
  const result: OpenAIUsage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: cacheRead, cache_write_tokens: cacheWrite },
  };
  const thinkingTokens = usage?.output_tokens_details?.thinking_tokens;
  if (typeof thinkingTokens === "number" && Number.isFinite(thinkingTokens)) {
    result.completion_tokens_details = { reasoning_tokens: thinkingTokens };
  }
  return result;
}

/**
 * The normalised usage of an Anthropic `usage` object: `input_tokens` leaves out the cache reads
 * and writes, which are added back so the prompt counts every input token.
 */
export function toTokenUsage(usage: AnthropicUsage | null | undefined): TokenUsage | null {
  if (!usage) return null;
  const openaiUsage = toOpenAIUsage(usage);
  const oneHour = usage.cache_creation?.ephemeral_1h_input_tokens;
  return {
    promptTokens: openaiUsage.prompt_tokens,
    completionTokens: openaiUsage.completion_tokens,
    totalTokens: openaiUsage.total_tokens,
    cacheReadTokens: openaiUsage.prompt_tokens_details.cached_tokens,
    cacheWriteTokens: openaiUsage.prompt_tokens_details.cache_write_tokens,
    cacheWrite1hTokens: typeof oneHour === "number" && Number.isFinite(oneHour) ? oneHour : null,
    reasoningTokens: openaiUsage.completion_tokens_details?.reasoning_tokens ?? null,
  };
}

/** `message_delta` usage is cumulative: every non-null field replaces the earlier value. */
export function mergeUsage(current: AnthropicUsage | null, update: unknown): AnthropicUsage | null {
  if (!update || typeof update !== "object") return current;
  const merged: Record<string, unknown> = { ...current };
  const fields = update as Record<string, unknown>;
  for (const field of OVERRIDABLE_FIELDS) {
    const value = fields[field];
    if (value !== null && value !== undefined) merged[field] = value;
  }
  return merged as AnthropicUsage;
}
