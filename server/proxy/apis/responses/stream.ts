import { createParser } from "eventsource-parser";
import { isRecord } from "../../providers/anthropic/json";
import { usageFromOpenAI, type TokenUsage } from "../../usage";
import type { ResponsesBody } from "./request";
import {
  ending,
  functionCallItem,
  itemId,
  messageItem,
  outputText,
  reasoningItem,
  responseId,
  responseObject,
  responsesUsage,
  type OutputItem,
  type ResponseFrame,
} from "./response";

export interface ResponsesStreamTranslator {
  /** OpenAI Chat Completions SSE bytes in (split anywhere), Responses SSE text out ("" when nothing is due yet). */
  write(chunk: Uint8Array): string;
  /** The upstream ended: the closing events, or `response.failed` if the answer never finished. */
  end(): string;
  error(): string | null;
}

/** The item being streamed: one at a time, as OpenAI streams them. */
interface OpenItem {
  kind: "message" | "reasoning" | "function_call";
  outputIndex: number;
  id: string;
  /** Text so far (message, reasoning) or arguments so far (function call). */
  text: string;
  callId?: string;
  name?: string;
}

const ENDED_EARLY = "The provider's stream ended before the answer was complete";

/**
 * `chat.completion.chunk` frames → the Responses event sequence: `response.created`,
 * `response.in_progress`, then per output item `response.output_item.added`, its content part and
 * deltas (`output_text`, `reasoning_text`, `function_call_arguments`), their `.done` events and
 * `response.output_item.done`; finally `response.completed` (or `response.incomplete`) with the
 * whole response and its usage, or `response.failed`. Every event carries its `sequence_number`.
 */
export function createResponsesStreamTranslator(request: ResponsesBody): ResponsesStreamTranslator {
  const decoder = new TextDecoder();
  const items: OutputItem[] = [];
  const toolItems = new Map<number, OpenItem>();
  let out = "";
  let sequence = 0;
  let frame: ResponseFrame | null = null;
  let current: OpenItem | null = null;
  let finishReason: unknown = null;
  let usage: TokenUsage | null = null;
  let finished = false;
  let failure: string | null = null;

  const parser = createParser({ onEvent: (event) => handle(event.data) });

  function emit(type: string, fields: Record<string, unknown>): void {
    out += `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...fields })}\n\n`;
  }

  function start(chunk: Record<string, unknown>): ResponseFrame {
    if (frame) return frame;
    const created = typeof chunk.created === "number" ? chunk.created : Math.floor(Date.now() / 1000);
    frame = { id: responseId(chunk.id), createdAt: created, model: chunk.model ?? request.model, request };
    const response = responseObject(frame, { status: "in_progress", output: [], usage: null });
    emit("response.created", { response });
    emit("response.in_progress", { response });
    return frame;
  }

  function open(kind: OpenItem["kind"], fields: Partial<OpenItem> = {}): OpenItem {
    close();
    const item: OpenItem = {
      kind,
      outputIndex: items.length,
      id: itemId(kind === "message" ? "msg" : kind === "reasoning" ? "rs" : "fc"),
      text: "",
      ...fields,
    };
    items.push(snapshot(item, "in_progress"));
    emit("response.output_item.added", { output_index: item.outputIndex, item: snapshot(item, "in_progress") });
    const part = kind === "message" ? outputText("") : kind === "reasoning" ? { type: "reasoning_text", text: "" } : null;
    if (part) emit("response.content_part.added", { item_id: item.id, output_index: item.outputIndex, content_index: 0, part });
    current = item;
    return item;
  }

  function snapshot(item: OpenItem, status: string): OutputItem {
    if (item.kind === "message") return messageItem(item.id, item.text, status);
    if (item.kind === "reasoning") return status === "completed" ? reasoningItem(item.id, item.text) : { id: item.id, type: "reasoning", summary: [] };
    return functionCallItem(item.id, item.callId ?? "", item.name ?? "", item.text, status);
  }

  function close(): void {
    const item = current;
    if (!item) return;
    current = null;
    const at = { item_id: item.id, output_index: item.outputIndex };
    if (item.kind === "message") {
      emit("response.output_text.done", { ...at, content_index: 0, text: item.text, logprobs: [] });
      emit("response.content_part.done", { ...at, content_index: 0, part: outputText(item.text) });
    } else if (item.kind === "reasoning") {
      emit("response.reasoning_text.done", { ...at, content_index: 0, text: item.text });
      emit("response.content_part.done", { ...at, content_index: 0, part: { type: "reasoning_text", text: item.text } });
    } else emit("response.function_call_arguments.done", { ...at, name: item.name, arguments: item.text });
    items[item.outputIndex] = snapshot(item, "completed");
    emit("response.output_item.done", { output_index: item.outputIndex, item: items[item.outputIndex] });
  }

  function text(kind: "message" | "reasoning", delta: string): void {
    const item = current?.kind === kind ? current : open(kind);
    item.text += delta;
    const at = { item_id: item.id, output_index: item.outputIndex, content_index: 0 };
    if (kind === "message") emit("response.output_text.delta", { ...at, delta, logprobs: [] });
    else emit("response.reasoning_text.delta", { ...at, delta });
  }

  function toolCall(call: Record<string, unknown>, position: number): void {
    const toolIndex = typeof call.index === "number" ? call.index : position;
    const fn = isRecord(call.function) ? call.function : {};
    let item = toolItems.get(toolIndex);
    if (!item) {
      const callId = typeof call.id === "string" && call.id !== "" ? call.id : itemId("call");
      item = open("function_call", { callId, name: typeof fn.name === "string" ? fn.name : "" });
      toolItems.set(toolIndex, item);
    }
    if (typeof fn.arguments === "string" && fn.arguments !== "") {
      item.text += fn.arguments;
      emit("response.function_call_arguments.delta", { item_id: item.id, output_index: item.outputIndex, delta: fn.arguments });
    }
  }

  function finish(): void {
    if (finished) return;
    finished = true;
    const started = start({});
    close();
    const end = ending(finishReason);
    const response = responseObject(started, { ...end, output: items, usage: responsesUsage(usage) });
    emit(end.status === "completed" ? "response.completed" : "response.incomplete", { response });
  }

  function fail(code: string, message: string): void {
    if (finished) return;
    finished = true;
    failure = message;
    const started = start({});
    const response = responseObject(started, { status: "failed", output: items, usage: responsesUsage(usage), error: { code, message } });
    emit("response.failed", { response });
  }

  function handle(data: string): void {
    if (finished) return;
    if (data === "[DONE]") return finish();
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      return;
    }
    if (!isRecord(chunk)) return;
    if (isRecord(chunk.error)) {
      const { code, message } = chunk.error;
      return fail(typeof code === "string" ? code : "server_error", typeof message === "string" ? message : "The provider's stream failed");
    }
    start(chunk);
    if (chunk.usage !== undefined && chunk.usage !== null) usage = usageFromOpenAI(chunk.usage) ?? usage;
    const choice = Array.isArray(chunk.choices) && isRecord(chunk.choices[0]) ? chunk.choices[0] : null;
    if (!choice) return;
    const change = isRecord(choice.delta) ? choice.delta : {};
    const reasoning = change.reasoning_content ?? change.reasoning;
    if (typeof reasoning === "string" && reasoning !== "") text("reasoning", reasoning);
    if (typeof change.content === "string" && change.content !== "") text("message", change.content);
    if (typeof change.refusal === "string" && change.refusal !== "") text("message", change.refusal);
    if (Array.isArray(change.tool_calls)) {
      change.tool_calls.forEach((call: unknown, position) => {
        if (isRecord(call)) toolCall(call, position);
      });
    }
    if (choice.finish_reason !== null && choice.finish_reason !== undefined) finishReason = choice.finish_reason;
  }

  function take(): string {
    const text = out;
    out = "";
    return text;
  }

  return {
    write(chunk) {
      parser.feed(decoder.decode(chunk, { stream: true }));
      return take();
    },
    end() {
      parser.feed(decoder.decode());
      if (!finished && finishReason !== null) finish();
      else if (!finished) fail("server_error", ENDED_EARLY);
      return take();
    },
    error: () => failure,
  };
}
