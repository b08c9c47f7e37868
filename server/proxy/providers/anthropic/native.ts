import { anthropicErrorEvent } from "../../anthropic-wire";
import type { UpstreamResponse } from "../../http-client";
import { SSE_HEADERS } from "../../openai-wire";
import type { ChunkSink } from "../../types";
import { relayNativeStream, type EventTap } from "../native-relay";
import { scrubBytes, scrubSecrets } from "../scrub";
import { readUpstream, sendToUpstream } from "../transport";
import type { NativeCall, UpstreamResult } from "../types";
import { anthropicFailure, anthropicHeaders, ANTHROPIC_VERSION, noteRequestId } from "./http";
import { isRecord } from "./json";
import { mergeUsage, toTokenUsage, type AnthropicUsage } from "./usage";

// Messages clients to Anthropic Llms: the body goes as the client sent it with `model` set to the
// Llm's, with the client's `anthropic-version` and `anthropic-beta`; the answer comes back byte
// for byte (an echoed key scrubbed), its usage read on the way.

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

/** Usage from `message_start` and `message_delta`, the end at `message_stop`, and any `error` event. */
function messagesTap(call: NativeCall): EventTap & { usage: () => AnthropicUsage | null } {
  let usage: AnthropicUsage | null = null;
  let stopped = false;
  return {
    hints: [Buffer.from("message_"), Buffer.from("error")],
    onEvent(event) {
      if (event.type === "message_start" && isRecord(event.message)) {
        usage = mergeUsage(null, event.message.usage);
        if (typeof event.message.model === "string") call.outcome.model = event.message.model;
      } else if (event.type === "message_delta") usage = mergeUsage(usage, event.usage);
      else if (event.type === "message_stop") stopped = true;
      else if (event.type === "error" && isRecord(event.error)) {
        const { type, message } = event.error;
        const text = `${typeof type === "string" ? type : "error"}: ${typeof message === "string" ? message : "the provider's stream failed"}`;
        call.outcome.error = scrubSecrets(text, call.apiKey);
      }
    },
    ended: () => stopped,
    errorEvent: (kind, message) => anthropicErrorEvent(kind === "timeout" ? "timeout_error" : "api_error", message),
    usage: () => usage,
  };
}

async function relay(upstream: UpstreamResponse, call: NativeCall, sink: ChunkSink): Promise<void> {
  const tap = messagesTap(call);
  try {
    await relayNativeStream(upstream, call, sink, tap);
  } finally {
    call.outcome.usage = toTokenUsage(tap.usage()) ?? call.outcome.usage;
  }
}
