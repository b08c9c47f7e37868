import type { IncomingHttpHeaders } from "node:http";
import { openaiErrorBody, type OpenAIErrorBody } from "../../errors";
import { singleHeader } from "../http-client";
import { scrubField, scrubSecrets } from "./scrub";
import type { UpstreamCall, UpstreamResult } from "./types";

const encoder = new TextEncoder();

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
 * An OpenAI-compatible upstream's error, re-shaped to `{error:{message,type,param,code}}` (vLLM
 * and Ollama use other shapes); `upstreamFailure` scrubs it.
 */
export function openaiCompatibleError(status: number, text: string): OpenAIErrorBody {
  let message = `Upstream returned HTTP ${status}`;
  let type = status >= 500 ? "api_error" : "invalid_request_error";
  let param: string | null = null;
  let code: string | null = null;
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const error = (typeof parsed.error === "object" && parsed.error !== null ? parsed.error : parsed) as Record<string, unknown>;
    if (typeof parsed.error === "string") message = parsed.error;
    else if (typeof error.message === "string") message = error.message;
    if (typeof error.type === "string") type = error.type;
    if (typeof error.param === "string") param = error.param;
    if (typeof error.code === "string") code = error.code;
  } catch {
    // Not JSON: keep the generic message rather than echo an HTML error page.
  }
  return openaiErrorBody(message, type, param, code);
}

/**
 * The answer for an upstream's non-2xx status (already in OpenAI shape), every field scrubbed.
 * An upstream 401/403 refused the gateway's own key, not the caller: that is a 502 naming the
 * Llm, which no retry fixes, so a client never mistakes it for its own login failing.
 */
export function upstreamFailure(call: UpstreamCall, status: number, error: OpenAIErrorBody, headers: Record<string, string>): UpstreamResult {
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
  call.tap.error = body.error.message;
  return { kind: "complete", status, headers: answerHeaders, body: encoder.encode(JSON.stringify(body)) };
}
