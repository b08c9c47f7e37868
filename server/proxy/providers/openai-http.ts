import { singleHeader, type UpstreamResponse } from "../http-client";
import { scrubField } from "./scrub";
import { readUpstream, retryHeaders, sendToUpstream, upstreamFailure } from "./transport";
import type { ProviderCall, UpstreamResult } from "./types";
import { openaiCompatibleError } from "./upstream-error";

// What every call to an OpenAI-compatible API shares, whichever endpoint: the provider key as a
// bearer token, the provider's request id, and its error answers in the gateway's shape.

/** POSTs `body` to `path` under the Llm's base URL; the headers that pass the provider's request id on. */
export async function postOpenAI(
  call: ProviderCall,
  path: string,
  body: unknown,
): Promise<{ upstream: UpstreamResponse; responseHeaders: Record<string, string> }> {
  const headers: Record<string, string> = { "content-type": "application/json", accept: call.stream ? "text/event-stream" : "application/json" };
  if (call.apiKey) headers.authorization = `Bearer ${call.apiKey}`;
  const upstream = await sendToUpstream(call, `${call.baseUrl.replace(/\/+$/, "")}${path}`, headers, JSON.stringify(body));
  call.outcome.upstreamRequestId = scrubField(singleHeader(upstream.headers, "x-request-id"), call.apiKey);
  return { upstream, responseHeaders: call.outcome.upstreamRequestId ? { "x-upstream-request-id": call.outcome.upstreamRequestId } : {} };
}

/** A non-2xx answer as the gateway's error answer, with the retry hints OpenAI clients honour. */
export async function openaiFailure(upstream: UpstreamResponse, call: ProviderCall, responseHeaders: Record<string, string>): Promise<UpstreamResult> {
  const text = (await readUpstream(upstream, call)).toString("utf8");
  return upstreamFailure(call, upstream.status, upstream.status, openaiCompatibleError(upstream.status, text), {
    ...responseHeaders,
    ...retryHeaders(upstream.headers),
  });
}

/** Whether to relay the answer as a stream: asked for, and the provider really sent one. */
export function answersWithStream(upstream: UpstreamResponse, call: ProviderCall): boolean {
  return call.stream && (singleHeader(upstream.headers, "content-type") ?? "").includes("text/event-stream");
}

/** A whole answer, with the API's own content type whatever the upstream said (an HTML error page must not render as one). */
export function jsonAnswer(status: number, responseHeaders: Record<string, string>, body: Buffer): UpstreamResult {
  return { kind: "complete", status, headers: { ...responseHeaders, "content-type": "application/json", "x-content-type-options": "nosniff" }, body };
}
