import type { UpstreamResponse } from "../http-client";
import { firstStringField, lastObjectField } from "../json-field";
import { SSE_HEADERS } from "../openai-wire";
import type { ChunkSink } from "../types";
import { type TokenUsage, usageFromOpenAI } from "../usage";
import { isRecord } from "./anthropic/json";
import { relayNativeStream, type EventTap } from "./native-relay";
import { answersWithStream, jsonAnswer, openaiFailure, postOpenAI } from "./openai-http";
import { scrubBytes, scrubSecrets } from "./scrub";
import { readUpstream } from "./transport";
import type { NativeCall, UpstreamResult } from "./types";

// OpenAI's other APIs, passed through: Responses (to `openai` Llms) and embeddings (to every
// OpenAI-compatible provider that has them). The body goes as sent with `model` set to the Llm's;
// the answer comes back byte for byte (an echoed key scrubbed), its usage read on the way.

/** `POST /v1/responses`, answer untouched. */
export function nativeResponses(call: NativeCall): Promise<UpstreamResult> {
  return passThrough(call, "/responses");
}

/** `POST /v1/embeddings`, answer untouched. */
export function nativeEmbeddings(call: NativeCall): Promise<UpstreamResult> {
  return passThrough({ ...call, stream: false }, "/embeddings");
}

async function passThrough(call: NativeCall, path: string): Promise<UpstreamResult> {
  const { upstream, responseHeaders } = await postOpenAI(call, path, { ...call.body, model: call.llm.model });
  if (upstream.status < 200 || upstream.status >= 300) return openaiFailure(upstream, call, responseHeaders);
  if (!answersWithStream(upstream, call)) {
    const bytes = scrubBytes(await readUpstream(upstream, call), call.apiKey);
    const text = bytes.toString("utf8");
    // Only `usage` and `model` are read: an embeddings answer may be megabytes of numbers.
    call.outcome.usage = usageOf(lastObjectField(text, "usage"));
    call.outcome.model = firstStringField(text, "model");
    return jsonAnswer(upstream.status, responseHeaders, bytes);
  }
  return { kind: "stream", headers: { ...responseHeaders, ...SSE_HEADERS }, body: (sink) => relay(upstream, call, sink) };
}

/** Responses usage (`input_tokens`, `output_tokens`, their details) or embeddings usage (`prompt_tokens`). */
export function usageOf(usage: unknown): TokenUsage | null {
  if (!isRecord(usage) || usage.input_tokens === undefined) return usageFromOpenAI(usage);
  const details = (value: unknown, field: string) => (isRecord(value) ? value[field] : undefined);
  return usageFromOpenAI({
    prompt_tokens: usage.input_tokens,
    completion_tokens: usage.output_tokens,
    total_tokens: usage.total_tokens,
    prompt_tokens_details: { cached_tokens: details(usage.input_tokens_details, "cached_tokens") },
    completion_tokens_details: { reasoning_tokens: details(usage.output_tokens_details, "reasoning_tokens") },
  });
}

const FINAL_EVENTS = new Set(["response.completed", "response.incomplete", "response.failed"]);

/** The whole response (usage, model) from its final event; `error` events and failed responses noted. */
function responsesTap(call: NativeCall): EventTap {
  let ended = false;
  return {
    hints: [Buffer.from("response.completed"), Buffer.from("response.incomplete"), Buffer.from("response.failed"), Buffer.from("error")],
    onEvent(event) {
      const type = typeof event.type === "string" ? event.type : "";
      if (FINAL_EVENTS.has(type) && isRecord(event.response)) {
        ended = true;
        const { response } = event;
        call.outcome.usage = usageOf(response.usage) ?? call.outcome.usage;
        if (typeof response.model === "string") call.outcome.model = response.model;
        if (type === "response.failed") call.outcome.error = scrubSecrets(errorText(response.error), call.apiKey);
      } else if (type === "error") call.outcome.error = scrubSecrets(errorText(event), call.apiKey);
    },
    ended: () => ended,
    errorEvent: (kind, message) => {
      const error = { type: "error", code: kind === "timeout" ? "timeout" : "server_error", message, param: null };
      return `event: error\ndata: ${JSON.stringify(error)}\n\n`;
    },
  };
}

function errorText(error: unknown): string {
  if (!isRecord(error)) return "the provider's response failed";
  const code = typeof error.code === "string" ? `${error.code}: ` : "";
  return `${code}${typeof error.message === "string" ? error.message : "the provider's response failed"}`;
}

function relay(upstream: UpstreamResponse, call: NativeCall, sink: ChunkSink): Promise<void> {
  return relayNativeStream(upstream, call, sink, responsesTap(call));
}
