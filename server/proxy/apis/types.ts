import type { UpstreamProvider } from "../../llms/providers";
import type { LlmView } from "../../llms/schemas";
import type { AttemptOutcome, UpstreamResult } from "../providers/types";
import type { ChatRequest } from "../request-body";
import type { HeaderMap, ProxyResponse } from "../types";

/**
 * The APIs clients speak to the gateway. Every one runs through the same pipeline (authentication,
 * `run:llms`, limits, routing, audit); providers answer in their own API where it is the client's
 * (`native`), otherwise the call goes to them as Chat Completions and comes back translated.
 */
export const API_NAMES = ["chat", "messages", "count_tokens", "responses", "embeddings"] as const;
export type ApiName = (typeof API_NAMES)[number];

/** How the console and the docs name each API. */
export const API_LABELS: Record<ApiName, string> = {
  chat: "Chat Completions",
  messages: "Anthropic Messages",
  count_tokens: "Messages token count",
  responses: "OpenAI Responses",
  embeddings: "Embeddings",
};

/** A client's request in the API it spoke, with what the pipeline needs of it. */
export interface ApiRequest {
  api: ApiName;
  /** The body as the client sent it. */
  body: Record<string, unknown>;
  /** What the body names as the Llm (`model`). */
  model: unknown;
  stream: boolean;
  /** A stream must end with its usage chunk: the client asked for it, or this API's answer carries usage. */
  wantsUsage: boolean;
  /** What limits reserve against: the prompt and requested output in Chat Completions form. */
  estimate: ChatRequest;
  /** Client headers a provider speaking this API natively receives (Anthropic's version and beta flags). */
  forwardHeaders: Record<string, string>;
  /**
   * The call as Chat Completions, for a provider that does not speak this API; throws a
   * ValidationError for what has no equivalent there. Null: only a native provider can serve it.
   */
  toChat: ((provider: UpstreamProvider) => ChatRequest) | null;
  /** The answer without a provider call, for a provider that does not speak this API (a token count estimate). */
  local?: (llm: LlmView) => UpstreamResult;
}

/** One API as the gateway serves it: its requests, its answers and its errors. */
export interface ApiFront {
  name: ApiName;
  /** Gateway tokens are also accepted in `x-api-key` (Anthropic's clients send them there). */
  apiKeyHeader: boolean;
  /** Validates the body (a ValidationError names the field). */
  parse(bytes: Buffer, headers: HeaderMap): ApiRequest;
  /**
   * The answer in this API's wire format. `wire` is the format the provider answered in (this
   * API's own, or `chat`); error answers (non-2xx) are always OpenAI-shaped and are re-shaped here.
   * A stream that fails in translation notes it in `outcome.error`.
   */
  present(result: UpstreamResult, wire: ApiName, request: ApiRequest, requestId: string, outcome: AttemptOutcome): UpstreamResult;
  /** A gateway error in this API's error shape. */
  errorResponse(error: unknown, requestId: string, headers: Record<string, string>): ProxyResponse;
}
