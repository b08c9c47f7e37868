import { appErrorToOpenAI, isAppError, retryHeaders } from "../../../errors";
import type { UpstreamProvider } from "../../../llms/providers";
import { estimateInputTokens } from "../../../limits/estimate";
import { anthropicErrorBody, anthropicErrorType } from "../../anthropic-wire";
import { isRecord } from "../../providers/anthropic/json";
import type { AttemptOutcome, UpstreamResult } from "../../providers/types";
import type { ChatRequest } from "../../request-body";
import { jsonResponse } from "../../respond";
import { header, type HeaderMap, type ProxyResponse } from "../../types";
import { presentChatAnswer } from "../chat-answer";
import type { ApiFront, ApiName, ApiRequest } from "../types";
import { parseMessagesBody, systemText, toChatRequest, type MessagesBody } from "./request";
import { toAnthropicMessage } from "./response";
import { createMessagesStreamTranslator } from "./stream";

const encoder = new TextEncoder();

/** The client headers an Anthropic provider receives with a native call; no other client header goes upstream. */
const FORWARDED_HEADERS = ["anthropic-version", "anthropic-beta"] as const;

function request(api: "messages" | "count_tokens", body: MessagesBody, headers: HeaderMap): ApiRequest {
  const forwardHeaders: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = header(headers, name);
    if (value !== null) forwardHeaders[name] = value;
  }
  const translations = new Map<UpstreamProvider, ChatRequest>();
  const toChat = (provider: UpstreamProvider) => {
    let chat = translations.get(provider);
    if (!chat) translations.set(provider, (chat = toChatRequest(body, provider)));
    return chat;
  };
  const prompt = { messages: [{ role: "system", content: systemText(body.system) }, ...body.messages], tools: body.tools };
  return {
    api,
    body,
    model: body.model,
    stream: body.stream === true,
    // A Messages stream ends with its usage (`message_delta`).
    wantsUsage: true,
    // A token count uses no tokens: it reserves nothing but its request.
    estimate: api === "count_tokens" ? { messages: [], max_tokens: 0 } : { ...prompt, max_tokens: body.max_tokens },
    forwardHeaders,
    toChat: api === "messages" ? toChat : null,
    ...(api === "count_tokens" ? { local: () => countAnswer(estimateInputTokens(prompt as ChatRequest)) } : {}),
  };
}

/** count_tokens for a provider without one: the gateway's own estimate (about four characters a token). */
function countAnswer(inputTokens: number): UpstreamResult {
  return {
    kind: "complete",
    status: 200,
    headers: { "content-type": "application/json" },
    body: encoder.encode(JSON.stringify({ input_tokens: inputTokens })),
  };
}

function errorResponse(error: unknown, requestId: string, headers: Record<string, string>): ProxyResponse {
  const named = { ...headers, "request-id": requestId };
  if (!isAppError(error)) return jsonResponse(500, anthropicErrorBody("api_error", `Internal error (request ${requestId})`, requestId), named);
  const { status, body } = appErrorToOpenAI(error);
  const type = error.code === "no_target_available" ? "overloaded_error" : anthropicErrorType(status, body.error.type);
  // Anthropic's shape has no `param`: the message names the field.
  const param = body.error.param;
  const message = param && !body.error.message.startsWith(param) ? `${param}: ${body.error.message}` : body.error.message;
  return jsonResponse(status, anthropicErrorBody(type, message, requestId), { ...named, ...retryHeaders(error) });
}

/** A provider's error answer (OpenAI-shaped by then) in Anthropic's shape, status and headers kept. */
function reshapedError(result: Extract<UpstreamResult, { kind: "complete" }>, requestId: string): UpstreamResult {
  let type: unknown;
  let message = `The provider answered HTTP ${result.status}`;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(result.body).toString("utf8"));
    if (isRecord(parsed) && isRecord(parsed.error)) {
      type = parsed.error.type;
      if (typeof parsed.error.message === "string") message = parsed.error.message;
    }
  } catch {
    // Keep the generic message.
  }
  const body = anthropicErrorBody(anthropicErrorType(result.status, type), message, requestId);
  return { ...result, body: encoder.encode(JSON.stringify(body)) };
}

/** Anthropic's clients report the `request-id` header: it is the gateway's id (the provider's is `x-upstream-request-id`). */
function present(result: UpstreamResult, wire: ApiName, _request: ApiRequest, requestId: string, outcome: AttemptOutcome): UpstreamResult {
  return translated({ ...result, headers: { ...result.headers, "request-id": requestId } }, wire, requestId, outcome);
}

function translated(result: UpstreamResult, wire: ApiName, requestId: string, outcome: AttemptOutcome): UpstreamResult {
  if (result.kind === "complete" && (result.status < 200 || result.status >= 300)) return reshapedError(result, requestId);
  if (wire !== "chat") return result;
  return presentChatAnswer(result, outcome, {
    whole: toAnthropicMessage,
    stream: createMessagesStreamTranslator,
    error: (message) => anthropicErrorBody("api_error", message, requestId),
  });
}

/** `POST /api/v1/messages`: Anthropic's Messages API, for the Anthropic SDK and Claude Code. */
export const messagesFront: ApiFront = {
  name: "messages",
  apiKeyHeader: true,
  parse: (bytes, headers) => request("messages", parseMessagesBody(bytes, false), headers),
  present,
  errorResponse,
};

/** `POST /api/v1/messages/count_tokens`: passed to Anthropic Llms; an estimate from any other. */
export const countTokensFront: ApiFront = {
  name: "count_tokens",
  apiKeyHeader: true,
  parse: (bytes, headers) => request("count_tokens", parseMessagesBody(bytes, true), headers),
  present,
  errorResponse,
};
