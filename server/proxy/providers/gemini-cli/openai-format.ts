import { appErrorToOpenAI, type AppError } from "../../../errors";
import { sseErrorFrame } from "../../respond";
import type { TokenUsage } from "../../usage";

export interface AnswerIdentity {
  id: string;
  created: number;
  model: string;
}

function openaiUsage(usage: TokenUsage) {
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

/** One `chat.completion.chunk` frame; `usage: null` on every chunk when the client asked for usage, as OpenAI does. */
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

export function usageFrame(identity: AnswerIdentity, usage: TokenUsage): string {
  const chunk = { id: identity.id, object: "chat.completion.chunk", created: identity.created, model: identity.model, choices: [], usage: openaiUsage(usage) };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

export function errorFrame(error: AppError): string {
  const { body } = appErrorToOpenAI(error);
  return sseErrorFrame(body.error.message, body.error.type, body.error.code);
}

export const DONE_FRAME = "data: [DONE]\n\n";
