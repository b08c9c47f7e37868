import { singleHeader, type UpstreamResponse } from "../../http-client";
import { scrubField } from "../scrub";
import { readUpstream, upstreamFailure } from "../transport";
import type { ProviderCall, UpstreamResult } from "../types";
import { toOpenAIError } from "./errors";

/** The Messages API version the gateway's own translation is written for. */
export const ANTHROPIC_VERSION = "2023-06-01";

/** A Messages API request's headers: the provider key goes in `x-api-key`. */
export function anthropicHeaders(call: ProviderCall, version: string, beta: string | null = null): Record<string, string> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: call.stream ? "text/event-stream" : "application/json",
    "anthropic-version": version,
  };
  if (beta !== null) headers["anthropic-beta"] = beta;
  if (call.apiKey) headers["x-api-key"] = call.apiKey;
  return headers;
}

/** Notes the provider's `request-id` for the audit; the headers that pass it to the client. */
export function noteRequestId(upstream: UpstreamResponse, call: ProviderCall): Record<string, string> {
  call.outcome.upstreamRequestId = scrubField(singleHeader(upstream.headers, "request-id"), call.apiKey);
  return call.outcome.upstreamRequestId ? { "x-upstream-request-id": call.outcome.upstreamRequestId } : {};
}

/** A non-2xx answer from Anthropic as the gateway's (OpenAI-shaped) error answer. */
export async function anthropicFailure(upstream: UpstreamResponse, call: ProviderCall, responseHeaders: Record<string, string>): Promise<UpstreamResult> {
  const text = (await readUpstream(upstream, call)).toString("utf8");
  const mapped = toOpenAIError(upstream.status, text, upstream.headers);
  return upstreamFailure(call, upstream.status, mapped.status, mapped.body, { ...mapped.headers, ...responseHeaders });
}
