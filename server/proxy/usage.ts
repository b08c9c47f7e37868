/** Token figures as the audit log stores them; null when the provider reported none. */
export interface TokenUsage {
  promptTokens: number | null;
  completionTokens: number | null;
  totalTokens: number | null;
}

/** Reads an OpenAI `usage` object (pass-through providers and translated answers alike). */
export function usageFromOpenAI(usage: unknown): TokenUsage | null {
  if (!usage || typeof usage !== "object") return null;
  const record = usage as Record<string, unknown>;
  const number = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : null);
  const promptTokens = number(record.prompt_tokens);
  const completionTokens = number(record.completion_tokens);
  const totalTokens = number(record.total_tokens) ?? (promptTokens !== null && completionTokens !== null ? promptTokens + completionTokens : null);
  if (promptTokens === null && completionTokens === null && totalTokens === null) return null;
  return { promptTokens, completionTokens, totalTokens };
}
