import type { IncomingHttpHeaders } from "node:http";
import { type AppError, openaiErrorBody, type OpenAIErrorBody } from "../../errors";
import { log } from "../../ops/log";
import { networkCause } from "../call-control";
import { forEachChunk, postUpstream, singleHeader, type UpstreamResponse } from "../http-client";
import { scrubField, scrubSecrets } from "./scrub";
import type { AttemptFailure, ProviderCall, UpstreamResult } from "./types";

// What every HTTP provider shares: sending, reading, turning a failure into the client's error,
// the retry hints, and whether another target could serve a call that failed this way.

const encoder = new TextEncoder();

/** Reads a whole upstream body; a failure mid-body becomes the error the client should see. */
export async function readUpstream(upstream: UpstreamResponse, call: ProviderCall): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    await forEachChunk(upstream.body, (chunk) => void chunks.push(chunk));
  } catch (error) {
    throw failedUpstream(call, error, "answer");
  }
  return Buffer.concat(chunks);
}

export async function sendToUpstream(call: ProviderCall, url: string, headers: Record<string, string>, body: string): Promise<UpstreamResponse> {
  try {
    return await postUpstream(call.llm.name, url, headers, body, call.control.clientSignal, call.control.idleTimeoutMs);
  } catch (error) {
    throw failedUpstream(call, error, "request");
  }
}

/** The client's error for a failed upstream call, with its network cause in the log (unless the client left). */
export function failedUpstream(call: ProviderCall, error: unknown, during: "request" | "answer"): AppError {
  const failure = call.control.upstreamError(error, during);
  if (!call.control.clientGone) {
    log.warn({
      msg: "upstream call failed",
      requestId: call.requestId,
      llm: call.llm.name,
      host: hostOf(call.baseUrl),
      during,
      error: failure.message,
      ...networkCause(error),
    });
  }
  return failure;
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

export const RETRY_HEADERS = ["retry-after", "retry-after-ms", "x-should-retry"] as const;

/** The retry hints OpenAI clients honour, passed on from an upstream error. */
export function retryHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const passed: Record<string, string> = {};
  for (const name of RETRY_HEADERS) {
    const value = singleHeader(headers, name);
    if (value !== null) passed[name] = value;
  }
  return passed;
}

/**
 * Statuses after which another target may serve the call: timeouts, conflicts, rate limits and
 * overloads, server errors (529 included), and 401/402/403/404 (this target cannot serve it).
 * 400, 413 and 422 are the request's own fault: every target would refuse it.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500 || (status >= 401 && status <= 404);
}

/** A failure before any answer came: a refused or reset connection, or silence, is worth another target. */
export function isRetryableError(error: AppError): boolean {
  return error.code === "upstream_unreachable" || error.code === "upstream_timeout";
}

/** The longest wait an upstream asked for (`retry-after-ms`, or `retry-after` in seconds or as a date), in ms. */
export function retryAfterMs(headers: Record<string, string>, now = Date.now()): number | null {
  const waits: number[] = [];
  const milliseconds = Number(headers["retry-after-ms"]);
  if (headers["retry-after-ms"] !== undefined && Number.isFinite(milliseconds) && milliseconds >= 0) waits.push(milliseconds);
  const after = headers["retry-after"];
  if (after !== undefined) {
    const seconds = Number(after);
    if (after.trim() !== "" && Number.isFinite(seconds) && seconds >= 0) waits.push(seconds * 1000);
    else if (!Number.isNaN(Date.parse(after))) waits.push(Math.max(0, Date.parse(after) - now));
  }
  return waits.length === 0 ? null : Math.max(...waits);
}

/**
 * The answer for an upstream's non-2xx status (already in OpenAI shape), every field scrubbed.
 * `upstreamStatus` is what the provider said (`status` may be its mapping, e.g. Anthropic's 529).
 * An upstream 401/403 refused the gateway's own key, not the caller: that is a 502 naming the
 * Llm, which no retry fixes, so a client never mistakes it for its own login failing.
 */
export function upstreamFailure(
  call: ProviderCall,
  upstreamStatus: number,
  status: number,
  error: OpenAIErrorBody,
  headers: Record<string, string>,
): UpstreamResult {
  const scrub = (value: string | null) => scrubField(value, call.apiKey);
  let body = openaiErrorBody(
    scrubSecrets(error.error.message, call.apiKey),
    scrub(error.error.type) ?? "api_error",
    scrub(error.error.param),
    scrub(error.error.code),
  );
  const answerHeaders: Record<string, string> = { "content-type": "application/json", "x-content-type-options": "nosniff" };
  for (const [name, value] of Object.entries(headers)) answerHeaders[name] ??= scrubSecrets(value, call.apiKey);
  if (status === 401 || status === 403) {
    body = openaiErrorBody(
      `The provider refused the API key of llm '${call.llm.name}' (HTTP ${status}): ${body.error.message}`,
      "api_error",
      null,
      "upstream_auth_failed",
    );
    status = 502;
    delete answerHeaders["retry-after"];
    delete answerHeaders["retry-after-ms"];
    answerHeaders["x-should-retry"] = "false";
  }
  call.outcome.error = body.error.message;
  const failure: AttemptFailure = { upstreamStatus, retryable: isRetryableStatus(upstreamStatus), retryAfterMs: retryAfterMs(headers) };
  return { kind: "complete", status, headers: answerHeaders, body: encoder.encode(JSON.stringify(body)), failure };
}
