import type { IncomingHttpHeaders } from "node:http";
import { openaiErrorBody } from "../../errors";
import { singleHeader } from "../http-client";
import { scrubSecrets } from "./scrub";

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
 * An OpenAI-compatible upstream's error, re-shaped to `{error:{message,type,param,code}}` with
 * the message scrubbed (vLLM and Ollama use other shapes; some echo part of the key).
 */
export function openaiCompatibleError(status: number, text: string, apiKey: string | null) {
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
  return openaiErrorBody(scrubSecrets(message, apiKey), type, param, code);
}
