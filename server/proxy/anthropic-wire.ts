// The Anthropic Messages wire format as the gateway writes it to Messages clients: SSE events,
// the error shape, and which stream events begin an answer.

/** One Anthropic SSE event: the event name repeats the data's `type`, as Anthropic sends it. */
export function anthropicEvent(data: { type: string } & Record<string, unknown>): string {
  return `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The `error` event that ends a Messages stream which failed after its 200 went out. */
export function anthropicErrorEvent(type: string, message: string): string {
  return anthropicEvent({ type: "error", error: { type, message } });
}

/** Anthropic's error body: `{"type":"error","error":{"type","message"},"request_id"}`. */
export function anthropicErrorBody(type: string, message: string, requestId: string) {
  return { type: "error", error: { type, message }, request_id: requestId };
}

const TYPES_BY_STATUS: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  504: "timeout_error",
  529: "overloaded_error",
};

const ANTHROPIC_TYPES = new Set([...Object.values(TYPES_BY_STATUS), "api_error"]);

/** Anthropic's `error.type` for an error: the one it has when Anthropic knows it (a translated Anthropic error), else by status. */
export function anthropicErrorType(status: number, type: unknown): string {
  if (typeof type === "string" && ANTHROPIC_TYPES.has(type)) return type;
  return TYPES_BY_STATUS[status] ?? (status >= 400 && status < 500 ? "invalid_request_error" : "api_error");
}

/** Stream events after which the client has seen (part of) an answer; `message_start` and `ping` are not. */
const ANSWER_EVENTS = new Set(["content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"]);

export function beginsAnthropicAnswer(type: string): boolean {
  return ANSWER_EVENTS.has(type);
}
