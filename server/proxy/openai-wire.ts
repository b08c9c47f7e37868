import { appErrorToOpenAI, openaiErrorBody, type AppError } from "../errors";
import type { TokenUsage } from "./usage";

// The OpenAI Chat Completions wire format as the gateway writes it: answers, stream chunks, usage
// and error frames. Every provider that is not passed through byte for byte writes through here.

export const SSE_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", connection: "keep-alive" } as const;

export const DONE_FRAME = "data: [DONE]\n\n";

/** What every chunk of one answer repeats. */
export interface AnswerIdentity {
  id: string | null;
  created: number;
  model: string | null;
}

/** OpenAI's `usage` object for token counts the gateway knows. */
export function openaiUsage(usage: TokenUsage): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  return { prompt_tokens: usage.promptTokens ?? 0, completion_tokens: usage.completionTokens ?? 0, total_tokens: usage.totalTokens ?? 0 };
}

export function chatCompletion(identity: AnswerIdentity, text: string, usage: TokenUsage | null) {
  return {
    id: identity.id,
    object: "chat.completion",
    created: identity.created,
    model: identity.model,
    choices: [{ index: 0, message: { role: "assistant", content: text, refusal: null }, logprobs: null, finish_reason: "stop" }],
    ...(usage ? { usage: openaiUsage(usage) } : {}),
  };
}

/**
 * One `chat.completion.chunk` frame. The choice index is always 0 (openai-node requires a
 * finish_reason for every index it sees); `usage: null` on every chunk when the client asked
 * for usage, as OpenAI does.
 */
export function chunkFrame(identity: AnswerIdentity, delta: Record<string, unknown>, finishReason: string | null, includeUsage: boolean): string {
  const chunk = {
    id: identity.id,
    object: "chat.completion.chunk",
    created: identity.created,
    model: identity.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: null } : {}),
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** The usage-only chunk (`choices: []`) that ends a stream whose client asked for usage. */
export function usageFrame(identity: AnswerIdentity, usage: object): string {
  const chunk = { id: identity.id, object: "chat.completion.chunk", created: identity.created, model: identity.model, choices: [], usage };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** The frame that ends a stream that failed after its 200 went out; no `[DONE]` follows. */
export function errorFrame(message: string, type: string, code: string | null = null): string {
  return `data: ${JSON.stringify(openaiErrorBody(message, type, null, code))}\n\n`;
}

export function appErrorFrame(error: AppError): string {
  const { body } = appErrorToOpenAI(error);
  return errorFrame(body.error.message, body.error.type, body.error.code);
}

/** The error frame for an upstream that broke off or went silent mid-stream. */
export function cutStreamFrame(error: AppError): string {
  const timedOut = error.code === "upstream_timeout";
  return errorFrame(error.message, timedOut ? "timeout_error" : "api_error", timedOut ? null : "upstream_unreachable");
}

/**
 * Whether a stream frame's JSON begins the answer proper: content, reasoning, a tool call, a
 * finish reason, or usage. A role-only opening chunk does not, nor does an error.
 */
export function beginsAnswer(data: unknown): boolean {
  if (typeof data !== "object" || data === null) return false;
  const chunk = data as { choices?: unknown; usage?: unknown; error?: unknown };
  if (chunk.error !== undefined) return false;
  if (!Array.isArray(chunk.choices)) return false;
  if (chunk.choices.length === 0) return chunk.usage !== undefined && chunk.usage !== null;
  for (const choice of chunk.choices as { delta?: Record<string, unknown>; finish_reason?: unknown }[]) {
    if (choice.finish_reason !== null && choice.finish_reason !== undefined) return true;
    const delta = choice.delta ?? {};
    for (const field of ["content", "reasoning_content", "reasoning", "refusal"]) {
      if (typeof delta[field] === "string" && delta[field] !== "") return true;
    }
    if (Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0) return true;
    if (delta.function_call !== undefined && delta.function_call !== null) return true;
  }
  return false;
}
