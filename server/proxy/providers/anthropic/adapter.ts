import { openaiErrorBody } from "../../../errors";
import { forEachChunk, STOP_READING } from "../../http-client";
import { SSE_HEADERS } from "../../openai-wire";
import { failedUpstream, readUpstream, sendToUpstream } from "../transport";
import { scrubSecrets, scrubText } from "../scrub";
import type { ProviderAdapter, UpstreamCall, UpstreamResult } from "../types";
import { anthropicFailure, anthropicHeaders, ANTHROPIC_VERSION, noteRequestId } from "./http";
import { nativeCountTokens, nativeMessages } from "./native";
import { streamErrorFrame } from "./errors";
import { isRecord } from "./json";
import { toAnthropicRequest } from "./request";
import { toChatCompletion } from "./response";
import { createAnthropicStreamTranslator } from "./stream";
import { toTokenUsage } from "./usage";
import type { UpstreamResponse } from "../../http-client";
import type { ChunkSink } from "../../types";

const encoder = new TextEncoder();

/** Full translation: OpenAI request → Messages API, and the answer (JSON or SSE) back. */
export const anthropicAdapter: ProviderAdapter = {
  native: { messages: nativeMessages, count_tokens: nativeCountTokens },
  async call(call: UpstreamCall): Promise<UpstreamResult> {
    const body = toAnthropicRequest(call.request, {
      model: call.llm.model,
      defaultMaxTokens: call.llm.defaults.max_tokens ?? null,
      capabilities: call.llm.capabilities,
      llmName: call.llm.name,
    });
    const headers = anthropicHeaders(call, ANTHROPIC_VERSION);
    const upstream = await sendToUpstream(call, `${call.baseUrl.replace(/\/+$/, "")}/messages`, headers, JSON.stringify(body));
    const responseHeaders = noteRequestId(upstream, call);
    const created = Math.floor(Date.now() / 1000);

    if (upstream.status < 200 || upstream.status >= 300) return anthropicFailure(upstream, call, responseHeaders);
    if (!call.stream) {
      const message = parseMessage((await readUpstream(upstream, call)).toString("utf8"));
      if (!message) {
        call.outcome.error = NOT_JSON;
        return {
          kind: "complete",
          status: 502,
          headers: { ...responseHeaders, "content-type": "application/json" },
          body: encoder.encode(JSON.stringify(openaiErrorBody(NOT_JSON, "api_error"))),
        };
      }
      const completion = toChatCompletion(message, created);
      call.outcome.usage = toTokenUsage((message as { usage?: never }).usage);
      call.outcome.model = typeof message.model === "string" ? message.model : null;
      // The translation carries the upstream's text: an echoed key must not pass.
      return {
        kind: "complete",
        status: 200,
        headers: { ...responseHeaders, "content-type": "application/json" },
        body: encoder.encode(scrubText(JSON.stringify(completion), call.apiKey)),
      };
    }
    return { kind: "stream", headers: { ...responseHeaders, ...SSE_HEADERS }, body: (sink) => translateStream(upstream, call, created, sink) };
  },
};

const NOT_JSON = "Upstream answered 200 with a body that is not valid JSON";

/** The upstream's Message, or null when the body is not a JSON object (a broken proxy, a truncated answer). */
function parseMessage(text: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

async function translateStream(upstream: UpstreamResponse, call: UpstreamCall, created: number, sink: ChunkSink): Promise<void> {
  const translator = createAnthropicStreamTranslator({ includeUsage: call.clientWantsUsage, created, scrub: (message) => scrubSecrets(message, call.apiKey) });
  try {
    try {
      await forEachChunk(upstream.body, (chunk) => {
        const out = translator.write(chunk);
        const flowing = !out || sink.write(encoder.encode(scrubText(out, call.apiKey)));
        // After the error frame the stream is closed; the upstream is not read (or billed) further.
        if (translator.failed()) return STOP_READING;
        if (!flowing) return sink.drain();
      });
      const tail = translator.end();
      if (tail) sink.write(encoder.encode(scrubText(tail, call.apiKey)));
    } catch (error) {
      if (call.control.clientGone) {
        call.outcome.clientLeft = !translator.outcome().completed;
        return;
      }
      // The client already has its ending ([DONE] or the error frame): a later reset changes nothing.
      if (translator.outcome().completed || translator.failed()) return;
      const failure = failedUpstream(call, error, "answer");
      if (failure.code === "upstream_timeout") {
        call.outcome.error = failure.message;
        sink.write(encoder.encode(streamErrorFrame("timeout_error", failure.message)));
      } else {
        // A broken upstream stream reads as one that ended before message_stop.
        sink.write(encoder.encode(translator.end()));
      }
    }
  } finally {
    const outcome = translator.outcome();
    call.outcome.usage = outcome.usage;
    call.outcome.model = outcome.model;
    call.outcome.error ??= outcome.error;
  }
}
