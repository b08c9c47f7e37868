import { randomBytes } from "node:crypto";
import { isRecord } from "../../providers/anthropic/json";
import { toStopReason } from "../../providers/anthropic/stop-reason";
import { usageFromOpenAI, type TokenUsage } from "../../usage";

// Chat Completions answers as Anthropic Messages answers (the inverse of the Anthropic adapter's
// translation): the shapes a Messages client reads, built from what an OpenAI-compatible provider said.

/** Anthropic's `usage`: `input_tokens` leaves out the cache reads and writes the prompt count includes. */
export function anthropicUsage(usage: TokenUsage | null) {
  const cacheRead = usage?.cacheReadTokens ?? 0;
  const cacheWrite = usage?.cacheWriteTokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage?.promptTokens ?? 0) - cacheRead - cacheWrite),
    output_tokens: usage?.completionTokens ?? 0,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  };
}

/** A message id for answers whose provider gave none. */
export function messageId(id: unknown): string {
  return typeof id === "string" && id !== "" ? id : `msg_${randomBytes(12).toString("hex")}`;
}

/** A tool call's arguments as the `input` object a `tool_use` block carries (`{}` when they are not a JSON object). */
export function toolInput(args: unknown): Record<string, unknown> {
  if (typeof args !== "string" || args.trim() === "") return {};
  try {
    const parsed: unknown = JSON.parse(args);
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/** A `chat.completion` as a Messages `message`: reasoning as a thinking block, then text, then tool calls. */
export function toAnthropicMessage(completion: Record<string, unknown>): Record<string, unknown> {
  const choice = Array.isArray(completion.choices) && isRecord(completion.choices[0]) ? completion.choices[0] : {};
  const message = isRecord(choice.message) ? choice.message : {};
  const content: Record<string, unknown>[] = [];
  const reasoning = message.reasoning_content ?? message.reasoning;
  if (typeof reasoning === "string" && reasoning !== "") content.push({ type: "thinking", thinking: reasoning, signature: "" });
  const text = typeof message.content === "string" ? message.content : typeof message.refusal === "string" ? message.refusal : "";
  if (text !== "") content.push({ type: "text", text });
  for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
    if (!isRecord(call) || !isRecord(call.function)) continue;
    content.push({ type: "tool_use", id: call.id, name: call.function.name, input: toolInput(call.function.arguments) });
  }
  return {
    id: messageId(completion.id),
    type: "message",
    role: "assistant",
    model: completion.model,
    content,
    stop_reason: toStopReason(choice.finish_reason),
    stop_sequence: null,
    usage: anthropicUsage(usageFromOpenAI(completion.usage)),
  };
}
