import { anthropicErrorEvent } from "../../anthropic-wire";
import { forEachChunk, type UpstreamResponse } from "../../http-client";
import { SSE_HEADERS } from "../../openai-wire";
import { FrameSplitter, frameEndAfter } from "../../sse-frames";
import type { ChunkSink } from "../../types";
import { scrubBytes, scrubSecrets } from "../scrub";
import { failedUpstream, readUpstream, sendToUpstream } from "../transport";
import type { NativeCall, UpstreamResult } from "../types";
import { anthropicFailure, anthropicHeaders, ANTHROPIC_VERSION, noteRequestId } from "./http";
import { isRecord } from "./json";
import { mergeUsage, toTokenUsage, type AnthropicUsage } from "./usage";

// Messages clients to Anthropic Llms: the body goes as the client sent it with `model` set to the
// Llm's, with the client's `anthropic-version` and `anthropic-beta`; the answer comes back byte
// for byte (an echoed key scrubbed), its usage read on the way.

const encoder = new TextEncoder();

/** `POST /v1/messages`, answer untouched. */
export function nativeMessages(call: NativeCall): Promise<UpstreamResult> {
  return passThrough(call, "/messages", true);
}

/** `POST /v1/messages/count_tokens`, answer untouched (it uses no tokens). */
export function nativeCountTokens(call: NativeCall): Promise<UpstreamResult> {
  return passThrough(call, "/messages/count_tokens", false);
}

async function passThrough(call: NativeCall, path: string, metered: boolean): Promise<UpstreamResult> {
  const headers = anthropicHeaders(call, call.forwardHeaders["anthropic-version"] ?? ANTHROPIC_VERSION, call.forwardHeaders["anthropic-beta"] ?? null);
  const body = JSON.stringify({ ...call.body, model: call.llm.model });
  const upstream = await sendToUpstream(call, `${call.baseUrl.replace(/\/+$/, "")}${path}`, headers, body);
  const responseHeaders = noteRequestId(upstream, call);
  if (upstream.status < 200 || upstream.status >= 300) return anthropicFailure(upstream, call, responseHeaders);
  if (!call.stream) {
    const bytes = scrubBytes(await readUpstream(upstream, call), call.apiKey);
    if (metered) tapMessage(bytes, call);
    return {
      kind: "complete",
      status: upstream.status,
      headers: { ...responseHeaders, "content-type": "application/json", "x-content-type-options": "nosniff" },
      body: bytes,
    };
  }
  return { kind: "stream", headers: { ...responseHeaders, ...SSE_HEADERS }, body: (sink) => relay(upstream, call, sink) };
}

function tapMessage(bytes: Buffer, call: NativeCall): void {
  try {
    const message: unknown = JSON.parse(bytes.toString("utf8"));
    if (!isRecord(message)) return;
    call.outcome.usage = toTokenUsage(isRecord(message.usage) ? (message.usage as AnthropicUsage) : null);
    if (typeof message.model === "string") call.outcome.model = message.model;
  } catch {
    // Not JSON: the client gets it as it came; the audit has no usage.
  }
}

/** What the relay learns from the few events that say something about the whole answer. */
interface StreamTap {
  usage: AnthropicUsage | null;
  stopped: boolean;
}

const EVENT_HINTS = [Buffer.from("message_"), Buffer.from("error")];
/** An event's name (its `event:` line, or the data's leading `type`) is near the start of its frame. */
const HINT_SPAN = 48;

/**
 * Frames go to the client as they complete. Only `message_start`, `message_delta`,
 * `message_stop` and `error` events are decoded (for usage, the model, and how the stream ended);
 * the content deltas in between are copied without being parsed.
 */
async function relay(upstream: UpstreamResponse, call: NativeCall, sink: ChunkSink): Promise<void> {
  const splitter = new FrameSplitter();
  const tap: StreamTap = { usage: null, stopped: false };
  try {
    await forEachChunk(upstream.body, (raw) => {
      const frames = splitter.push(raw);
      if (!frames) return;
      tapFrames(frames, tap, call);
      const out = scrubBytes(frames, call.apiKey);
      if (!sink.write(out)) return sink.drain();
    });
    const rest = splitter.rest();
    if (rest) {
      tapFrames(rest, tap, call);
      sink.write(scrubBytes(rest, call.apiKey));
    }
    if (!tap.stopped && call.outcome.error === null) {
      call.outcome.error = "Upstream stream ended before message_stop";
      sink.write(encoder.encode(anthropicErrorEvent("api_error", call.outcome.error)));
    }
  } catch (error) {
    if (call.control.clientGone) {
      call.outcome.clientLeft = !tap.stopped;
      return;
    }
    if (tap.stopped || call.outcome.error !== null) return;
    const failure = failedUpstream(call, error, "answer");
    call.outcome.error = failure.message;
    sink.write(encoder.encode(anthropicErrorEvent(failure.code === "upstream_timeout" ? "timeout_error" : "api_error", failure.message)));
  } finally {
    call.outcome.usage = toTokenUsage(tap.usage) ?? call.outcome.usage;
  }
}

function tapFrames(frames: Buffer, tap: StreamTap, call: NativeCall): void {
  for (let start = 0; start < frames.length; ) {
    const end = frameEndAfter(frames, start);
    const head = frames.subarray(start, Math.min(end, start + HINT_SPAN));
    if (EVENT_HINTS.some((hint) => head.includes(hint))) tapEvent(frames.toString("utf8", start, end), tap, call);
    start = end;
  }
}

function tapEvent(frame: string, tap: StreamTap, call: NativeCall): void {
  const data = frame
    .split(/\r?\n/)
    .filter((line) => line.startsWith("data:"))
    .map((line) => line.slice(5).trimStart())
    .join("\n");
  let event: unknown;
  try {
    event = JSON.parse(data);
  } catch {
    return;
  }
  if (!isRecord(event)) return;
  if (event.type === "message_start" && isRecord(event.message)) {
    tap.usage = mergeUsage(null, event.message.usage);
    if (typeof event.message.model === "string") call.outcome.model = event.message.model;
  } else if (event.type === "message_delta") tap.usage = mergeUsage(tap.usage, event.usage);
  else if (event.type === "message_stop") tap.stopped = true;
  else if (event.type === "error" && isRecord(event.error)) {
    const { type, message } = event.error;
    const text = `${typeof type === "string" ? type : "error"}: ${typeof message === "string" ? message : "the provider's stream failed"}`;
    call.outcome.error = scrubSecrets(text, call.apiKey);
  }
}
