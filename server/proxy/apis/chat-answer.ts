import { createParser } from "eventsource-parser";
import { isRecord } from "../providers/anthropic/json";
import type { AttemptOutcome, UpstreamResult } from "../providers/types";
import type { ChunkSink } from "../types";
import { usageFromOpenAI, type TokenUsage } from "../usage";

// Reading a Chat Completions answer (what every provider's adapter returns) for the APIs that
// present it in another shape: the whole answer, or its stream chunk by chunk.

/** One tool call's piece in a chunk: `id` and `name` come with its first piece. */
export interface ToolCallPiece {
  index: number;
  id: string | null;
  name: string | null;
  arguments: string;
}

/** One `chat.completion.chunk`, or the stream's end, or its error frame. */
export type ChatChunk =
  | { kind: "done" }
  | { kind: "error"; code: string | null; type: string | null; message: string }
  | {
      kind: "delta";
      id: string | null;
      model: string | null;
      created: number | null;
      usage: TokenUsage | null;
      reasoning: string;
      text: string;
      toolCalls: ToolCallPiece[];
      finishReason: string | null;
    };

const text = (value: unknown) => (typeof value === "string" ? value : "");
const nullableString = (value: unknown) => (typeof value === "string" ? value : null);

/** A chunk's data (one SSE event's `data`) as a ChatChunk; null for what is no chunk at all. */
export function readChatChunk(data: string): ChatChunk | null {
  if (data === "[DONE]") return { kind: "done" };
  let chunk: unknown;
  try {
    chunk = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isRecord(chunk)) return null;
  if (isRecord(chunk.error)) {
    const { code, type, message } = chunk.error;
    return { kind: "error", code: nullableString(code), type: nullableString(type), message: text(message) || "The provider's stream failed" };
  }
  const choice = Array.isArray(chunk.choices) && isRecord(chunk.choices[0]) ? chunk.choices[0] : null;
  const delta = choice && isRecord(choice.delta) ? choice.delta : {};
  const toolCalls: ToolCallPiece[] = [];
  if (Array.isArray(delta.tool_calls)) {
    delta.tool_calls.forEach((call: unknown, position) => {
      if (!isRecord(call)) return;
      const fn = isRecord(call.function) ? call.function : {};
      toolCalls.push({
        index: typeof call.index === "number" ? call.index : position,
        id: nullableString(call.id) || null,
        name: nullableString(fn.name),
        arguments: text(fn.arguments),
      });
    });
  }
  return {
    kind: "delta",
    id: nullableString(chunk.id),
    model: nullableString(chunk.model),
    created: typeof chunk.created === "number" ? chunk.created : null,
    usage: chunk.usage === undefined || chunk.usage === null ? null : usageFromOpenAI(chunk.usage),
    reasoning: text(delta.reasoning_content ?? delta.reasoning),
    // A refusal is what the user sees instead of an answer.
    text: text(delta.content) + text(delta.refusal),
    toolCalls,
    finishReason: choice && choice.finish_reason !== null && choice.finish_reason !== undefined ? String(choice.finish_reason) : null,
  };
}

/** A stream translator: Chat Completions SSE bytes in, the other API's events out. */
export interface StreamTranslator {
  /** Bytes as they come (split anywhere); the events now due ("" when none). */
  write(chunk: Uint8Array): string;
  /** The upstream ended: the closing events, or the error that says the answer never finished. */
  end(): string;
  /** The error the stream ended with, if it did. */
  error(): string | null;
}

/** What a translator does with an answer's parts; it writes its events where `take` reads them. */
export interface ChunkHandlers {
  /** The first chunk: the answer's id, model and time. */
  begin(chunk: { id: string | null; model: string | null; created: number | null }): void;
  reasoning(text: string): void;
  text(text: string): void;
  toolCall(piece: ToolCallPiece): void;
  /** The answer is whole (`[DONE]`, or the end after a finish reason): at most once. */
  finish(finishReason: string | null, usage: TokenUsage | null): void;
  /** The provider's error frame, or a stream that ended before its finish reason: at most once. */
  fail(error: { code: string | null; type: string | null; message: string }, usage: TokenUsage | null): void;
  /** The events due so far (emptied). */
  take(): string;
}

const ENDED_EARLY = "The provider's stream ended before the answer was complete";

/**
 * A stream translator driven chunk by chunk: keeps what every translation needs (whether the
 * answer began and ended, its finish reason and usage) and hands each part to `handlers`.
 */
export function chunkTranslator(handlers: ChunkHandlers): StreamTranslator {
  const decoder = new TextDecoder();
  let started = false;
  let finished = false;
  let failure: string | null = null;
  let finishReason: string | null = null;
  let usage: TokenUsage | null = null;

  function finish(): void {
    finished = true;
    handlers.finish(finishReason, usage);
  }

  function fail(error: { code: string | null; type: string | null; message: string }): void {
    finished = true;
    failure = error.message;
    handlers.fail(error, usage);
  }

  function onChunk(chunk: ChatChunk): void {
    if (finished) return;
    if (chunk.kind === "done") return finish();
    if (chunk.kind === "error") return fail(chunk);
    if (!started) {
      started = true;
      handlers.begin(chunk);
    }
    usage = chunk.usage ?? usage;
    if (chunk.reasoning !== "") handlers.reasoning(chunk.reasoning);
    if (chunk.text !== "") handlers.text(chunk.text);
    for (const call of chunk.toolCalls) handlers.toolCall(call);
    finishReason = chunk.finishReason ?? finishReason;
  }

  const parser = createParser({
    onEvent: (event) => {
      const chunk = readChatChunk(event.data);
      if (chunk) onChunk(chunk);
    },
  });
  return {
    write(bytes) {
      parser.feed(decoder.decode(bytes, { stream: true }));
      return handlers.take();
    },
    end() {
      parser.feed(decoder.decode());
      // A provider that closes after its finish reason without `[DONE]` still finished its answer.
      if (!finished && finishReason !== null) finish();
      else if (!finished) fail({ code: null, type: null, message: ENDED_EARLY });
      return handlers.take();
    },
    error: () => failure,
  };
}

const encoder = new TextEncoder();

/**
 * A Chat Completions answer presented in another API: a whole answer through `whole` (a body that
 * is no JSON object is a 502 in the API's error shape), a stream through a fresh translator.
 * Error answers are left for the caller.
 */
export function presentChatAnswer(
  result: UpstreamResult,
  outcome: AttemptOutcome,
  shapes: { whole: (completion: Record<string, unknown>) => unknown; stream: () => StreamTranslator; error: (message: string) => unknown },
): UpstreamResult {
  if (result.kind === "complete") {
    let completion: unknown;
    try {
      completion = JSON.parse(Buffer.from(result.body).toString("utf8"));
    } catch {
      completion = null;
    }
    if (!isRecord(completion)) {
      outcome.error = "The provider answered 200 with a body that is not a JSON object";
      return { ...result, status: 502, body: encoder.encode(JSON.stringify(shapes.error(outcome.error))) };
    }
    return { ...result, body: encoder.encode(JSON.stringify(shapes.whole(completion))) };
  }
  const inner = result.body;
  return {
    ...result,
    body: async (sink: ChunkSink) => {
      const translator = shapes.stream();
      await inner({
        write: (chunk) => {
          const events = translator.write(chunk);
          return events === "" || sink.write(encoder.encode(events));
        },
        drain: () => sink.drain(),
      });
      const tail = translator.end();
      if (tail !== "") sink.write(encoder.encode(tail));
      outcome.error ??= translator.error();
    },
  };
}
