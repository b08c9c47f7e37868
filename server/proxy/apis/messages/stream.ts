import { randomBytes } from "node:crypto";
import { anthropicErrorEvent, anthropicErrorType, anthropicEvent } from "../../anthropic-wire";
import { toStopReason } from "../../providers/anthropic/stop-reason";
import { chunkTranslator, type StreamTranslator, type ToolCallPiece } from "../chat-answer";
import { anthropicUsage, messageId } from "./response";

type Block = { index: number; kind: "text" | "thinking" | "tool" };

/**
 * `chat.completion.chunk` frames → Anthropic's event sequence: `message_start`; per content block
 * `content_block_start`, its deltas (`text_delta`, `thinking_delta`, `input_json_delta`) and
 * `content_block_stop`; then `message_delta` (stop reason, usage) and `message_stop`. A block
 * ends when another kind begins; tool calls get their own blocks in the order they arrive.
 */
export function createMessagesStreamTranslator(): StreamTranslator {
  let out = "";
  let started = false;
  let id: string | null = null;
  let model: string | null = null;
  let current: Block | null = null;
  let blockCount = 0;
  const toolBlocks = new Map<number, number>();

  function start(): void {
    if (started) return;
    started = true;
    out += anthropicEvent({
      type: "message_start",
      message: {
        id: messageId(id),
        type: "message",
        role: "assistant",
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 0, output_tokens: 0 },
      },
    });
  }

  function closeBlock(): void {
    if (!current) return;
    out += anthropicEvent({ type: "content_block_stop", index: current.index });
    current = null;
  }

  function openBlock(kind: Block["kind"], contentBlock: Record<string, unknown>): Block {
    closeBlock();
    const block: Block = { index: blockCount++, kind };
    out += anthropicEvent({ type: "content_block_start", index: block.index, content_block: contentBlock });
    current = block;
    return block;
  }

  function delta(index: number, payload: Record<string, unknown>): void {
    out += anthropicEvent({ type: "content_block_delta", index, delta: payload });
  }

  function textDelta(kind: "text" | "thinking", text: string): void {
    const block =
      current?.kind === kind ? current : openBlock(kind, kind === "text" ? { type: "text", text: "" } : { type: "thinking", thinking: "", signature: "" });
    delta(block.index, kind === "text" ? { type: "text_delta", text } : { type: "thinking_delta", thinking: text });
  }

  function toolCall(call: ToolCallPiece): void {
    let blockIndex = toolBlocks.get(call.index);
    if (blockIndex === undefined) {
      const toolId = call.id ?? `toolu_${randomBytes(12).toString("hex")}`;
      blockIndex = openBlock("tool", { type: "tool_use", id: toolId, name: call.name ?? "", input: {} }).index;
      toolBlocks.set(call.index, blockIndex);
    }
    if (call.arguments !== "") delta(blockIndex, { type: "input_json_delta", partial_json: call.arguments });
  }

  return chunkTranslator({
    begin(chunk) {
      id = chunk.id;
      model = chunk.model;
      start();
    },
    reasoning: (text) => textDelta("thinking", text),
    text: (text) => textDelta("text", text),
    toolCall,
    finish(finishReason, usage) {
      start();
      closeBlock();
      out += anthropicEvent({ type: "message_delta", delta: { stop_reason: toStopReason(finishReason), stop_sequence: null }, usage: anthropicUsage(usage) });
      out += anthropicEvent({ type: "message_stop" });
    },
    fail(error) {
      start();
      out += anthropicErrorEvent(anthropicErrorType(0, error.type), error.message);
    },
    take: () => {
      const text = out;
      out = "";
      return text;
    },
  });
}
