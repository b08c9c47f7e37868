import { createParser } from "eventsource-parser";
import type { TokenUsage } from "../../usage";
import { chunkFrame, DONE_FRAME, usageFrame } from "../../openai-wire";
import { streamErrorFrame } from "./errors";
import { isRecord } from "./json";
import { toFinishReason } from "./stop-reason";
import { mergeUsage, toOpenAIUsage, toTokenUsage, type AnthropicUsage } from "./usage";

export interface AnthropicStreamOutcome {
  usage: TokenUsage | null;
  model: string | null;
  id: string | null;
  error: string | null;
  completed: boolean;
}

export interface AnthropicStreamTranslator {
  /** Feed raw upstream bytes (may split events anywhere); returns the OpenAI SSE text to send now ("" if none). */
  write(chunk: Uint8Array): string;
  /** Upstream ended (or broke). If message_stop was never seen, returns the mid-stream error frame; else "". */
  end(): string;
  /** True once the mid-stream error frame has been produced: nothing more will be translated. */
  failed(): boolean;
  outcome(): AnthropicStreamOutcome;
}

interface BlockState {
  /** OpenAI tool_calls index; Anthropic block indices also count text and thinking blocks. */
  toolIndex: number | null;
  argumentCharacters: number;
}

type Event = Record<string, unknown>;

const ENDED_EARLY = "Upstream stream ended before message_stop";

function nonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value !== "";
}

/** Anthropic Messages SSE bytes → OpenAI `chat.completion.chunk` SSE text, one closure per stream. */
export function createAnthropicStreamTranslator(options: {
  includeUsage: boolean;
  created: number;
  /** Cleans an upstream error message before it is sent on (providers may echo the key). */
  scrub?: (message: string) => string;
}): AnthropicStreamTranslator {
  const decoder = new TextDecoder();
  const blocks = new Map<number, BlockState>();
  let status: "streaming" | "completed" | "failed" = "streaming";
  let pending = "";
  let id: string | null = null;
  let model: string | null = null;
  let usage: AnthropicUsage | null = null;
  let stopReason: string | null = null;
  let nextToolIndex = 0;
  let error: string | null = null;

  const parser = createParser({ onEvent: (event) => handle(event.data) });

  function emit(delta: Record<string, unknown>, finishReason: string | null = null): void {
    pending += chunkFrame({ id, created: options.created, model }, delta, finishReason, options.includeUsage);
  }

  function fail(type: string, message: string, details?: unknown): void {
    // An error frame and no [DONE], so clients cannot mistake a truncated answer for a whole one.
    pending += streamErrorFrame(type, message, details);
    error = `${type}: ${message}`;
    status = "failed";
  }

  function messageStart(event: Event): void {
    const message = event.message;
    if (!isRecord(message) || typeof message.id !== "string" || typeof message.model !== "string") {
      return fail("api_error", "Upstream sent a malformed message_start event");
    }
    id = message.id;
    model = message.model;
    usage = isRecord(message.usage) ? { ...message.usage } : null;
    emit({ role: "assistant", content: "" });
  }

  function contentBlockStart(event: Event): void {
    const block = event.content_block;
    if (typeof event.index !== "number" || !isRecord(block)) return fail("api_error", "Upstream sent a malformed content_block_start event");
    if (block.type !== "tool_use") {
      blocks.set(event.index, { toolIndex: null, argumentCharacters: 0 });
      if (block.type === "text" && nonEmptyString(block.text)) emit({ content: block.text });
      if (block.type === "thinking" && nonEmptyString(block.thinking)) emit({ reasoning_content: block.thinking });
      return;
    }
    const toolIndex = nextToolIndex++;
    const input = isRecord(block.input) && Object.keys(block.input).length > 0 ? JSON.stringify(block.input) : "";
    blocks.set(event.index, { toolIndex, argumentCharacters: input.length });
    const fn = { name: String(block.name ?? ""), arguments: input };
    emit({ tool_calls: [{ index: toolIndex, id: String(block.id ?? ""), type: "function", function: fn }] });
  }

  function contentBlockDelta(event: Event): void {
    const delta = event.delta;
    if (!isRecord(delta)) return fail("api_error", "Upstream sent a malformed content_block_delta event");
    const block = typeof event.index === "number" ? blocks.get(event.index) : undefined;
    if (delta.type === "text_delta" && nonEmptyString(delta.text)) emit({ content: delta.text });
    else if (delta.type === "thinking_delta" && nonEmptyString(delta.thinking)) emit({ reasoning_content: delta.thinking });
    else if (delta.type === "input_json_delta" && block && block.toolIndex !== null && nonEmptyString(delta.partial_json)) {
      block.argumentCharacters += delta.partial_json.length;
      emit({ tool_calls: [{ index: block.toolIndex, function: { arguments: delta.partial_json } }] });
    }
  }

  function contentBlockStop(event: Event): void {
    const block = typeof event.index === "number" ? blocks.get(event.index) : undefined;
    if (!block || block.toolIndex === null || block.argumentCharacters > 0) return;
    // A tool without arguments still needs valid JSON once the client has accumulated it.
    block.argumentCharacters = 2;
    emit({ tool_calls: [{ index: block.toolIndex, function: { arguments: "{}" } }] });
  }

  function messageDelta(event: Event): void {
    const delta = isRecord(event.delta) ? event.delta : {};
    if (typeof delta.stop_reason === "string") stopReason = delta.stop_reason;
    usage = mergeUsage(usage, event.usage);
  }

  function messageStop(): void {
    // Finishing here, not at message_delta: there may be several message_delta events.
    emit({}, toFinishReason(stopReason));
    if (options.includeUsage) {
      pending += usageFrame({ id, created: options.created, model }, toOpenAIUsage(usage));
    }
    pending += DONE_FRAME;
    status = "completed";
  }

  const handlers: Record<string, (event: Event) => void> = {
    content_block_start: contentBlockStart,
    content_block_delta: contentBlockDelta,
    content_block_stop: contentBlockStop,
    message_delta: messageDelta,
    message_stop: messageStop,
  };

  function handle(data: string): void {
    if (status !== "streaming") return;
    let event: unknown;
    try {
      event = JSON.parse(data);
    } catch {
      event = undefined;
    }
    if (!isRecord(event)) return fail("api_error", "Upstream sent a stream event that is not a JSON object");
    const type = event.type;
    if (type === "error") {
      const upstream = isRecord(event.error) ? event.error : {};
      const errorType = nonEmptyString(upstream.type) ? upstream.type : "api_error";
      const message = typeof upstream.message === "string" ? upstream.message : "Upstream stream error";
      return fail(errorType, options.scrub ? options.scrub(message) : message, upstream.details);
    }
    if (type === "message_start") return id === null ? messageStart(event) : undefined;
    // ping and event types added after this was written carry nothing to translate.
    if (typeof type !== "string" || !Object.hasOwn(handlers, type)) return;
    if (id === null) return fail("api_error", `Upstream sent ${type} before message_start`);
    handlers[type]?.(event);
  }

  function take(): string {
    const text = pending;
    pending = "";
    return text;
  }

  return {
    write(chunk) {
      if (status !== "streaming") return "";
      parser.feed(decoder.decode(chunk, { stream: true }));
      return take();
    },
    end() {
      if (status !== "streaming") return "";
      parser.feed(decoder.decode());
      if (status === "streaming") fail("api_error", ENDED_EARLY);
      return take();
    },
    failed() {
      return status === "failed";
    },
    outcome() {
      return { usage: toTokenUsage(usage), model, id, error, completed: status === "completed" };
    },
  };
}
