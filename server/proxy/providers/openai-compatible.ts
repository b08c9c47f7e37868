import { forEachChunk, singleHeader, type UpstreamResponse } from "../http-client";
import { cutStreamFrame, SSE_HEADERS } from "../openai-wire";
import { FrameSplitter, tapUsage, type UsageTap } from "../sse-frames";
import type { ChunkSink } from "../types";
import { firstStringField, lastObjectField } from "../json-field";
import { usageFromOpenAI } from "../usage";
import type { ProviderAdapter, UpstreamCall, UpstreamResult } from "./types";
import { scrubBytes, scrubField } from "./scrub";
import { nativeEmbeddings, nativeResponses } from "./openai-native";
import { openaiCompatibleError } from "./upstream-error";
import { failedUpstream, readUpstream, retryHeaders, sendToUpstream, upstreamFailure } from "./transport";

const encoder = new TextEncoder();

/** openai, vllm, deepseek, ollama: the request goes as sent with `model` set; the answer comes back untouched. */
export const openaiCompatibleAdapter: ProviderAdapter = {
  async call(call: UpstreamCall): Promise<UpstreamResult> {
    const askUsage = call.stream && call.llm.streamUsage;
    const body = { ...call.request, model: call.llm.model, ...(askUsage ? { stream_options: { ...call.request.stream_options, include_usage: true } } : {}) };
    const headers: Record<string, string> = { "content-type": "application/json", accept: call.stream ? "text/event-stream" : "application/json" };
    if (call.apiKey) headers.authorization = `Bearer ${call.apiKey}`;
    const upstream = await sendToUpstream(call, `${call.baseUrl.replace(/\/+$/, "")}/chat/completions`, headers, JSON.stringify(body));
    call.outcome.upstreamRequestId = scrubField(singleHeader(upstream.headers, "x-request-id"), call.apiKey);
    const responseHeaders: Record<string, string> = call.outcome.upstreamRequestId ? { "x-upstream-request-id": call.outcome.upstreamRequestId } : {};

    if (upstream.status < 200 || upstream.status >= 300) {
      const text = (await readUpstream(upstream, call)).toString("utf8");
      return upstreamFailure(call, upstream.status, upstream.status, openaiCompatibleError(upstream.status, text), {
        ...responseHeaders,
        ...retryHeaders(upstream.headers),
      });
    }
    const contentType = singleHeader(upstream.headers, "content-type") ?? "";
    if (!call.stream || !contentType.includes("text/event-stream")) {
      const bytes = scrubBytes(await readUpstream(upstream, call), call.apiKey);
      tapCompletion(bytes, call);
      // The API's own content type, whatever the upstream said (an HTML error page must not render as one).
      return {
        kind: "complete",
        status: upstream.status,
        headers: { ...responseHeaders, "content-type": "application/json", "x-content-type-options": "nosniff" },
        body: bytes,
      };
    }
    return {
      kind: "stream",
      headers: { ...responseHeaders, ...SSE_HEADERS },
      body: (sink) => relayStream(upstream, call, askUsage && !call.clientWantsUsage, sink),
    };
  },
};

/** The body goes to the client untouched; only `usage` and `model` are read for the audit. */
function tapCompletion(bytes: Buffer, call: UpstreamCall): void {
  const text = bytes.toString("utf8");
  call.outcome.usage = usageFromOpenAI(lastObjectField(text, "usage"));
  call.outcome.model = firstStringField(text, "model");
}

const DONE_MARKER = Buffer.from("[DONE]");

/** Frames are copied as they complete; only a frame carrying a usage object is decoded. */
async function relayStream(upstream: UpstreamResponse, call: UpstreamCall, dropUsageFrame: boolean, sink: ChunkSink): Promise<void> {
  const splitter = new FrameSplitter();
  const usageTap: UsageTap = { usage: null, model: null };
  let sentDone = false;
  try {
    await forEachChunk(upstream.body, (raw) => {
      const frames = splitter.push(raw);
      if (!frames) return;
      // An upstream that echoes the key (in content, or an error frame) must not pass it on.
      const out = scrubBytes(tapUsage(frames, dropUsageFrame, usageTap), call.apiKey);
      // `data: [DONE]` closes the answer; only the chunk's tail needs looking at.
      sentDone ||= out.subarray(-16).includes(DONE_MARKER);
      if (out.length > 0 && !sink.write(out)) return sink.drain();
    });
    const rest = splitter.rest();
    if (rest) sink.write(scrubBytes(rest, call.apiKey));
  } catch (error) {
    if (call.control.clientGone) {
      call.outcome.clientLeft = !sentDone;
      return;
    }
    const failure = failedUpstream(call, error, "answer");
    call.outcome.error = failure.message;
    sink.write(encoder.encode(cutStreamFrame(failure)));
  } finally {
    call.outcome.usage = usageFromOpenAI(usageTap.usage) ?? call.outcome.usage;
    call.outcome.model = usageTap.model ?? call.outcome.model;
  }
}

/** OpenAI itself: Chat Completions, and Responses and embeddings passed through. */
export const openaiAdapter: ProviderAdapter = { ...openaiCompatibleAdapter, native: { responses: nativeResponses, embeddings: nativeEmbeddings } };

/** vLLM and Ollama: Chat Completions, and their embeddings passed through. */
export const openaiCompatibleWithEmbeddings: ProviderAdapter = { ...openaiCompatibleAdapter, native: { embeddings: nativeEmbeddings } };
