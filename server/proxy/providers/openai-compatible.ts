import { singleHeader, postUpstream, type UpstreamResponse } from "../http-client";
import { SSE_HEADERS, sseErrorFrame } from "../respond";
import { firstStringField, lastObjectField } from "../json-field";
import { usageFromOpenAI } from "../usage";
import type { ProviderAdapter, UpstreamCall, UpstreamResult } from "./types";
import { openaiCompatibleError, retryHeaders } from "./upstream-error";

const encoder = new TextEncoder();

/** Reads a whole upstream body; a failure mid-body becomes the error the client should see. */
export async function readUpstream(upstream: UpstreamResponse, call: UpstreamCall): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of upstream.body) chunks.push(chunk as Buffer);
  } catch (error) {
    throw call.control.upstreamError(error);
  }
  return Buffer.concat(chunks);
}

export async function sendToUpstream(call: UpstreamCall, url: string, headers: Record<string, string>, body: string): Promise<UpstreamResponse> {
  try {
    return await postUpstream(url, headers, body, call.control.clientSignal, call.control.idleTimeoutMs);
  } catch (error) {
    throw call.control.upstreamError(error);
  }
}

/** openai, vllm, deepseek, ollama: the request goes as sent with `model` set; the answer comes back untouched. */
export const openaiCompatibleAdapter: ProviderAdapter = {
  async call(call: UpstreamCall): Promise<UpstreamResult> {
    const askUsage = call.stream && call.llm.streamUsage;
    const body = { ...call.request, model: call.llm.model, ...(askUsage ? { stream_options: { ...call.request.stream_options, include_usage: true } } : {}) };
    const headers: Record<string, string> = { "content-type": "application/json", accept: call.stream ? "text/event-stream" : "application/json" };
    if (call.apiKey) headers.authorization = `Bearer ${call.apiKey}`;
    const upstream = await sendToUpstream(call, `${call.baseUrl.replace(/\/+$/, "")}/chat/completions`, headers, JSON.stringify(body));
    call.tap.upstreamRequestId = singleHeader(upstream.headers, "x-request-id");
    const responseHeaders: Record<string, string> = call.tap.upstreamRequestId ? { "x-upstream-request-id": call.tap.upstreamRequestId } : {};

    if (upstream.status < 200 || upstream.status >= 300) {
      const text = (await readUpstream(upstream, call)).toString("utf8");
      const error = openaiCompatibleError(upstream.status, text, call.apiKey);
      call.tap.error = error.error.message;
      return { kind: "complete", status: upstream.status, headers: { ...responseHeaders, ...retryHeaders(upstream.headers), "content-type": "application/json" }, body: encoder.encode(JSON.stringify(error)) };
    }
    const contentType = singleHeader(upstream.headers, "content-type") ?? "application/json";
    if (!call.stream || !contentType.includes("text/event-stream")) {
      const bytes = await readUpstream(upstream, call);
      tapCompletion(bytes, call);
      return { kind: "complete", status: upstream.status, headers: { ...responseHeaders, "content-type": contentType }, body: bytes };
    }
    return { kind: "stream", headers: { ...responseHeaders, ...SSE_HEADERS }, body: relayStream(upstream, call, askUsage && !call.clientWantsUsage) };
  },
};

/** The body goes to the client untouched; only `usage` and `model` are read for the audit. */
function tapCompletion(bytes: Buffer, call: UpstreamCall): void {
  const text = bytes.toString("utf8");
  call.tap.usage = usageFromOpenAI(lastObjectField(text, "usage"));
  call.tap.model = firstStringField(text, "model");
}

const USAGE_MARKERS = ['"usage":{', '"usage": {'];

/** Frames are copied as they complete; only a frame carrying a usage object is parsed. */
async function* relayStream(upstream: UpstreamResponse, call: UpstreamCall, dropUsageFrame: boolean): AsyncGenerator<Uint8Array> {
  let carry: Buffer | null = null;
  try {
    for await (const raw of upstream.body) {
      const chunk: Buffer = carry ? Buffer.concat([carry, raw as Buffer]) : (raw as Buffer);
      const boundary = lastFrameEnd(chunk);
      if (boundary === -1) {
        carry = chunk;
        continue;
      }
      carry = boundary < chunk.length ? chunk.subarray(boundary) : null;
      const complete = boundary < chunk.length ? chunk.subarray(0, boundary) : chunk;
      const out = USAGE_MARKERS.some((marker) => complete.includes(marker)) ? tapUsageFrames(complete, call, dropUsageFrame) : complete;
      if (out.length > 0) yield out;
    }
    if (carry) yield carry;
  } catch (error) {
    if (call.control.clientGone) return;
    const failure = call.control.upstreamError(error);
    call.tap.error = failure.message;
    yield encoder.encode(sseErrorFrame(failure.message, failure.code === "upstream_timeout" ? "timeout_error" : "api_error", failure.code === "upstream_timeout" ? null : "upstream_unreachable"));
  }
}

function lastFrameEnd(chunk: Buffer): number {
  const lf = chunk.lastIndexOf("\n\n");
  const crlf = chunk.lastIndexOf("\r\n\r\n");
  return Math.max(lf === -1 ? -1 : lf + 2, crlf === -1 ? -1 : crlf + 4);
}

function tapUsageFrames(complete: Buffer, call: UpstreamCall, dropUsageFrame: boolean): Buffer {
  const frames = complete.toString("utf8").split(/(?<=\n\n|\r\n\r\n)/);
  let dropped = false;
  const kept = frames.filter((frame) => {
    if (!USAGE_MARKERS.some((marker) => frame.includes(marker))) return true;
    const data = frame.replace(/^data:\s?/m, "").trim();
    try {
      const parsed = JSON.parse(data) as { usage?: unknown; model?: unknown; choices?: unknown[] };
      call.tap.usage = usageFromOpenAI(parsed.usage) ?? call.tap.usage;
      if (typeof parsed.model === "string") call.tap.model = parsed.model;
      if (dropUsageFrame && Array.isArray(parsed.choices) && parsed.choices.length === 0) {
        dropped = true;
        return false;
      }
    } catch {
      // Not a single JSON data frame: forward as is.
    }
    return true;
  });
  return dropped ? Buffer.from(kept.join(""), "utf8") : complete;
}

