import { forEachChunk, type UpstreamResponse } from "../http-client";
import { cutStreamFrame, SSE_HEADERS } from "../openai-wire";
import { FrameSplitter, tapUsage, type UsageTap } from "../sse-frames";
import type { ChunkSink } from "../types";
import { firstStringField, lastObjectField } from "../json-field";
import { usageFromOpenAI } from "../usage";
import type { ProviderAdapter, UpstreamCall, UpstreamResult } from "./types";
import { scrubBytes } from "./scrub";
import { answersWithStream, jsonAnswer, openaiFailure, postOpenAI } from "./openai-http";
import { nativeEmbeddings, nativeResponses } from "./openai-native";
import { failedUpstream, readUpstream } from "./transport";

const encoder = new TextEncoder();

/** openai, vllm, deepseek, ollama: the request goes as sent with `model` set; the answer comes back untouched. */
export const openaiCompatibleAdapter: ProviderAdapter = {
  async call(call: UpstreamCall): Promise<UpstreamResult> {
    const askUsage = call.stream && call.llm.streamUsage;
    const body = { ...call.request, model: call.llm.model, ...(askUsage ? { stream_options: { ...call.request.stream_options, include_usage: true } } : {}) };
    const { upstream, responseHeaders } = await postOpenAI(call, "/chat/completions", body);
    if (upstream.status < 200 || upstream.status >= 300) return openaiFailure(upstream, call, responseHeaders);
    if (!answersWithStream(upstream, call)) {
      const bytes = scrubBytes(await readUpstream(upstream, call), call.apiKey);
      tapCompletion(bytes, call);
      return jsonAnswer(upstream.status, responseHeaders, bytes);
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
