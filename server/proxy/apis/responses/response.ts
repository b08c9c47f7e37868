import { randomBytes } from "node:crypto";
import { isRecord } from "../../providers/anthropic/json";
import { usageFromOpenAI, type TokenUsage } from "../../usage";
import type { ResponsesBody } from "./request";

// Chat Completions answers as OpenAI Responses objects: the shapes the OpenAI SDK, the Agents
// SDK and the Codex CLI read, built from what a provider without a Responses API said.

export type OutputItem = Record<string, unknown> & { type: string };

export function itemId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString("hex")}`;
}

/** The Responses `usage` for a call's tokens. */
export function responsesUsage(usage: TokenUsage | null) {
  return {
    input_tokens: usage?.promptTokens ?? 0,
    input_tokens_details: { cached_tokens: usage?.cacheReadTokens ?? 0 },
    output_tokens: usage?.completionTokens ?? 0,
    output_tokens_details: { reasoning_tokens: usage?.reasoningTokens ?? 0 },
    total_tokens: usage?.totalTokens ?? (usage?.promptTokens ?? 0) + (usage?.completionTokens ?? 0),
  };
}

/** How a finished answer ended, from its `finish_reason`. */
export function ending(finishReason: unknown): { status: "completed" | "incomplete"; incomplete_details: { reason: string } | null } {
  if (finishReason === "length") return { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } };
  if (finishReason === "content_filter") return { status: "incomplete", incomplete_details: { reason: "content_filter" } };
  return { status: "completed", incomplete_details: null };
}

/** What a Response says about itself besides its output, echoed from the request as OpenAI does. */
export interface ResponseFrame {
  id: string;
  createdAt: number;
  model: unknown;
  request: ResponsesBody;
}

export function responseObject(
  frame: ResponseFrame,
  fields: { status: string; output: OutputItem[]; usage: ReturnType<typeof responsesUsage> | null; incomplete_details?: unknown; error?: unknown },
) {
  const { request } = frame;
  return {
    id: frame.id,
    object: "response",
    created_at: frame.createdAt,
    status: fields.status,
    error: fields.error ?? null,
    incomplete_details: fields.incomplete_details ?? null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    model: frame.model,
    output: fields.output,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: request.temperature ?? null,
    text: isRecord(request.text) ? request.text : { format: { type: "text" } },
    tool_choice: request.tool_choice ?? "auto",
    tools: request.tools ?? [],
    top_p: request.top_p ?? null,
    truncation: "disabled",
    usage: fields.usage,
    metadata: isRecord(request.metadata) ? request.metadata : {},
  };
}

export function messageItem(id: string, text: string, status: string): OutputItem {
  return { id, type: "message", status, role: "assistant", content: text === "" && status !== "completed" ? [] : [outputText(text)] };
}

export function outputText(text: string) {
  return { type: "output_text", text, annotations: [] };
}

export function reasoningItem(id: string, text: string): OutputItem {
  return { id, type: "reasoning", summary: [], content: [{ type: "reasoning_text", text }] };
}

export function functionCallItem(id: string, callId: string, name: string, args: string, status: string): OutputItem {
  return { id, type: "function_call", status, call_id: callId, name, arguments: args };
}

/** A `chat.completion` as a Response: reasoning, then the message, then one item per tool call. */
export function toResponse(completion: Record<string, unknown>, request: ResponsesBody): Record<string, unknown> {
  const choice = Array.isArray(completion.choices) && isRecord(completion.choices[0]) ? completion.choices[0] : {};
  const message = isRecord(choice.message) ? choice.message : {};
  const output: OutputItem[] = [];
  const reasoning = message.reasoning_content ?? message.reasoning;
  if (typeof reasoning === "string" && reasoning !== "") output.push(reasoningItem(itemId("rs"), reasoning));
  const text = typeof message.content === "string" ? message.content : typeof message.refusal === "string" ? message.refusal : "";
  if (text !== "") output.push(messageItem(itemId("msg"), text, "completed"));
  for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
    if (!isRecord(call) || !isRecord(call.function)) continue;
    const args = typeof call.function.arguments === "string" ? call.function.arguments : "{}";
    output.push(functionCallItem(itemId("fc"), String(call.id), String(call.function.name), args, "completed"));
  }
  const created = typeof completion.created === "number" ? completion.created : Math.floor(Date.now() / 1000);
  const frame: ResponseFrame = { id: responseId(completion.id), createdAt: created, model: completion.model, request };
  return responseObject(frame, { ...ending(choice.finish_reason), output, usage: responsesUsage(usageFromOpenAI(completion.usage)) });
}

/** A response id (`resp_…`), keeping the provider's own id when it gave one. */
export function responseId(id: unknown): string {
  return typeof id === "string" && id !== "" ? `resp_${id}` : itemId("resp");
}
