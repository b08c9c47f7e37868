import { openaiErrorBody, type OpenAIErrorBody } from "../../errors";

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
