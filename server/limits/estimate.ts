import type { LlmView } from "../llms/schemas";
import type { ChatRequest } from "../proxy/request-body";
import { priceCall } from "../spend/prices";

/** What admission reserves for a call before it knows what the call will use. */
export interface CallEstimate {
  inputTokens: number;
  outputTokens: number;
  /** 0 when the model has no known price: such calls count nothing against cost budgets. */
  costUsd: number;
}

/** Output reserved when neither the request nor the Llm says `max_tokens`. */
export const DEFAULT_OUTPUT_ESTIMATE = 4096;
// A picture or a sound costs the model far fewer tokens than its base64 text has characters.
const MEDIA_TOKENS = 1000;
const CHARS_PER_TOKEN = 4;
const PER_MESSAGE_TOKENS = 4;

/**
 * The prompt is estimated from its text (about four characters a token, a few tokens per message,
 * a fixed amount per image or audio part); the output is the request's `max_completion_tokens` or
 * `max_tokens`, else the Llm's default, else 4096.
 */
export function estimateCall(llm: LlmView, chat: ChatRequest, catalog: Map<string, LlmView> | null = null): CallEstimate {
  if (llm.routing && catalog) {
    // A route reserves what its dearest target would cost (and the most output any would allow).
    const estimates = llm.routing.targets.flatMap((target) => {
      const view = catalog.get(target.llm);
      return view ? [estimateCall(view, chat)] : [];
    });
    if (estimates.length > 0) {
      return {
        inputTokens: estimates[0]!.inputTokens,
        outputTokens: Math.max(...estimates.map((estimate) => estimate.outputTokens)),
        costUsd: Math.max(...estimates.map((estimate) => estimate.costUsd)),
      };
    }
  }
  const inputTokens = estimateInputTokens(chat);
  const outputTokens = requestedOutput(chat) ?? llm.defaults.max_tokens ?? DEFAULT_OUTPUT_ESTIMATE;
  const cost = priceCall(llm, {
    promptTokens: inputTokens,
    completionTokens: outputTokens,
    totalTokens: inputTokens + outputTokens,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    reasoningTokens: 0,
  });
  return { inputTokens, outputTokens, costUsd: cost.costUsd ?? 0 };
}

function requestedOutput(chat: ChatRequest): number | null {
  for (const value of [chat.max_completion_tokens, chat.max_tokens]) {
    // 0: a call that writes nothing (embeddings, a token count).
    if (typeof value === "number" && Number.isFinite(value) && value >= 0) return Math.ceil(value);
  }
  return null;
}

/** The prompt's tokens, roughly: about four characters a token, a few a message, a fixed amount a picture. */
export function estimateInputTokens(chat: ChatRequest): number {
  const messages = Array.isArray(chat.messages) ? chat.messages : [];
  let chars = 0;
  let media = 0;
  const visit = (value: unknown, key: string | null): void => {
    if (key === "role" || key === "type") return;
    if (typeof value === "string") {
      if ((key === "url" || key === "data") && (value.startsWith("data:") || value.length > 2048)) media += 1;
      else chars += value.length;
    } else if (Array.isArray(value)) for (const item of value) visit(item, null);
    else if (value !== null && typeof value === "object") for (const [name, item] of Object.entries(value)) visit(item, name);
  };
  visit(messages, null);
  if (chat.tools !== undefined) visit(chat.tools, null);
  return Math.ceil(chars / CHARS_PER_TOKEN) + PER_MESSAGE_TOKENS * messages.length + MEDIA_TOKENS * media;
}
