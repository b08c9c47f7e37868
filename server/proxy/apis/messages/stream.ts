import { randomBytes } from "node:crypto";
import { createParser } from "eventsource-parser";
import { isRecord } from "../../providers/anthropic/json";
import { toStopReason } from "../../providers/anthropic/stop-reason";
import { usageFromOpenAI, type TokenUsage } from "../../usage";
import { anthropicErrorEvent, anthropicErrorType, anthropicEvent } from "../../anthropic-wire";
import { anthropicUsage, messageId } from "./response";

export interface MessagesStreamTranslator {
  /** OpenAI SSE bytes in (split anywhere), Anthropic SSE text out ("" when nothing is due yet). */
  write(chunk: Uint8Array): string;
  /** The upstream ended: the closing events, or an error event if the answer never finished. */
  end(): string;
  /** The error the stream ended with, if it did. */
  error(): string | null;
}

type Block = { index: number; kind: "text" | "thinking" | "tool" };

const ENDED_EARLY = "The provider's stream ended before the answer was complete";

/**
 * `chat.completion.chunk` frames → Anthropic's event sequence: `message_start`; per content block
 * `content_block_start`, its deltas (`text_delta`, `thinking_delta`, `input_json_delta`) and
 * `content_block_stop`; then `message_delta` (stop reason, usage) and `message_stop`. A block
 * ends when another kind begins; tool calls get their own blocks in the order they arrive.
 */
export function createMessagesStreamTranslator(): MessagesStreamTranslator {
  const decoder = new TextDecoder();
  let out = "";
  let started = false;
  let finished = false;
  let failure: string | null = null;
  let id: string | null = null;
  let model: string | null = null;
  let current: Block | null = null;
  let blockCount = 0;
  const toolBlocks = new Map<number, number>();
  let finishReason: unknown = null;
  let usage: TokenUsage | null = null;

  const parser = createParser({ onEvent: (event) => handle(event.data) });

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

  function toolCall(call: Record<string, unknown>, position: number): void {
    const toolIndex = typeof call.index === "number" ? call.index : position;
    const fn = isRecord(call.function) ? call.function : {};
    let blockIndex = toolBlocks.get(toolIndex);
    if (blockIndex === undefined) {
      const toolId = typeof call.id === "string" && call.id !== "" ? call.id : `toolu_${randomBytes(12).toString("hex")}`;
      blockIndex = openBlock("tool", { type: "tool_use", id: toolId, name: typeof fn.name === "string" ? fn.name : "", input: {} }).index;
      toolBlocks.set(toolIndex, blockIndex);
    }
    if (typeof fn.arguments === "string" && fn.arguments !== "") delta(blockIndex, { type: "input_json_delta", partial_json: fn.arguments });
  }

  function finish(): void {
    if (finished) return;
    finished = true;
    start();
    closeBlock();
    out += anthropicEvent({
      type: "message_delta",
      delta: { stop_reason: toStopReason(finishReason), stop_sequence: null },
      usage: anthropicUsage(usage),
    });
    out += anthropicEvent({ type: "message_stop" });
  }

  function fail(type: string, message: string): void {
    if (finished) return;
    finished = true;
    failure = message;
    start();
    out += anthropicErrorEvent(type, message);
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
      const { type, message } = chunk.error;
      return fail(anthropicErrorType(0, type), typeof message === "string" ? message : "The provider's stream failed");
    }
    if (!started) {
      id = typeof chunk.id === "string" ? chunk.id : null;
      model = typeof chunk.model === "string" ? chunk.model : null;
      start();
    }
    if (chunk.usage !== undefined && chunk.usage !== null) usage = usageFromOpenAI(chunk.usage) ?? usage;
    const choice = Array.isArray(chunk.choices) && isRecord(chunk.choices[0]) ? chunk.choices[0] : null;
    if (!choice) return;
    const change = isRecord(choice.delta) ? choice.delta : {};
    const reasoning = change.reasoning_content ?? change.reasoning;
    if (typeof reasoning === "string" && reasoning !== "") textDelta("thinking", reasoning);
    if (typeof change.content === "string" && change.content !== "") textDelta("text", change.content);
    if (typeof change.refusal === "string" && change.refusal !== "") textDelta("text", change.refusal);
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
      // A provider that closes after its finish reason without `[DONE]` still finished its answer.
      if (!finished && finishReason !== null) finish();
      else if (!finished) fail("api_error", ENDED_EARLY);
      return take();
    },
    error: () => failure,
  };
}
