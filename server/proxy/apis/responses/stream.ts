import { chunkTranslator, type StreamTranslator, type ToolCallPiece } from "../chat-answer";
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

const NO_CHUNK = { id: null, model: null, created: null };

/**
 * `chat.completion.chunk` frames → the Responses event sequence: `response.created`,
 * `response.in_progress`, then per output item `response.output_item.added`, its content part and
 * deltas (`output_text`, `reasoning_text`, `function_call_arguments`), their `.done` events and
 * `response.output_item.done`; finally `response.completed` (or `response.incomplete`) with the
 * whole response and its usage, or `response.failed`. Every event carries its `sequence_number`.
 */
export function createResponsesStreamTranslator(request: ResponsesBody): StreamTranslator {
  const items: OutputItem[] = [];
  const toolItems = new Map<number, OpenItem>();
  let out = "";
  let sequence = 0;
  let frame: ResponseFrame | null = null;
  let current: OpenItem | null = null;

  function emit(type: string, fields: Record<string, unknown>): void {
    out += `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...fields })}\n\n`;
  }

  function start(chunk: { id: string | null; model: string | null; created: number | null }): ResponseFrame {
    if (frame) return frame;
    frame = { id: responseId(chunk.id), createdAt: chunk.created ?? Math.floor(Date.now() / 1000), model: chunk.model ?? request.model, request };
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

  function toolCall(call: ToolCallPiece): void {
    let item = toolItems.get(call.index);
    if (!item) {
      item = open("function_call", { callId: call.id ?? itemId("call"), name: call.name ?? "" });
      toolItems.set(call.index, item);
    }
    if (call.arguments !== "") {
      item.text += call.arguments;
      emit("response.function_call_arguments.delta", { item_id: item.id, output_index: item.outputIndex, delta: call.arguments });
    }
  }

  return chunkTranslator({
    begin: start,
    reasoning: (delta) => text("reasoning", delta),
    text: (delta) => text("message", delta),
    toolCall,
    finish(finishReason, usage) {
      const started = start(NO_CHUNK);
      close();
      const end = ending(finishReason);
      const response = responseObject(started, { ...end, output: items, usage: responsesUsage(usage) });
      emit(end.status === "completed" ? "response.completed" : "response.incomplete", { response });
    },
    fail(error, usage) {
      const started = start(NO_CHUNK);
      const failed = { code: error.code ?? "server_error", message: error.message };
      emit("response.failed", { response: responseObject(started, { status: "failed", output: items, usage: responsesUsage(usage), error: failed }) });
    },
    take: () => {
      const events = out;
      out = "";
      return events;
    },
  });
}
