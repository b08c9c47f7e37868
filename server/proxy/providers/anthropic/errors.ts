import { openaiErrorBody, type OpenAIErrorBody } from "../../../errors";
import { errorFrame } from "../../openai-wire";
import { isRecord } from "./json";

// A spend limit stays hit until the next month or a tier change; retrying cannot help.
const SPEND_LIMIT_CODES = new Set(["enforced_spend_limit_reached", "contract_spend_limit_reached"]);

const CODE_BY_TYPE: Record<string, string> = {
  authentication_error: "invalid_api_key",
  rate_limit_error: "rate_limit_exceeded",
};

const PASSED_THROUGH_HEADERS = ["retry-after", "retry-after-ms", "x-should-retry"];

type HeaderValues = Record<string, string | string[] | undefined>;

export interface TranslatedError {
  status: number;
  body: OpenAIErrorBody;
  headers: Record<string, string>;
}

/** OpenAI `error.code` for an Anthropic error type and its optional `details`. */
function errorCode(type: string, details: unknown): string | null {
  const detailCode = isRecord(details) ? details.error_code : undefined;
  if (typeof detailCode === "string" && detailCode !== "") {
    const spendLimit = type === "rate_limit_error" && SPEND_LIMIT_CODES.has(detailCode);
    return spendLimit ? "insufficient_quota" : detailCode;
  }
  return Object.hasOwn(CODE_BY_TYPE, type) ? (CODE_BY_TYPE[type] ?? null) : null;
}

function headerValue(headers: HeaderValues, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    return Array.isArray(value) ? value.join(", ") : value;
  }
  return undefined;
}

/** A non-2xx Anthropic answer as an OpenAI-shaped error response. */
export function toOpenAIError(status: number, bodyText: string, headers: HeaderValues): TranslatedError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    parsed = undefined;
  }
  const upstreamError = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : undefined;
  const type = typeof upstreamError?.type === "string" ? upstreamError.type : undefined;

  const responseHeaders: Record<string, string> = {};
  for (const name of PASSED_THROUGH_HEADERS) {
    const value = headerValue(headers, name);
    if (value !== undefined) responseHeaders[name] = value;
  }
  const bodyRequestId = isRecord(parsed) && typeof parsed.request_id === "string" ? parsed.request_id : undefined;
  const upstreamRequestId = headerValue(headers, "request-id") ?? bodyRequestId;
  if (upstreamRequestId !== undefined) responseHeaders["x-upstream-request-id"] = upstreamRequestId;

  // 529 is non-standard; generic HTTP clients and proxies understand 503.
  const clientStatus = status === 529 ? 503 : status;
  if (!upstreamError || type === undefined) {
    return {
      status: status >= 500 ? clientStatus : 502,
      body: openaiErrorBody(`Upstream returned HTTP ${status} without an Anthropic error body`, "api_error"),
      headers: responseHeaders,
    };
  }

  const code = errorCode(type, upstreamError.details);
  if (code === "insufficient_quota") responseHeaders["x-should-retry"] = "false";
  const message = typeof upstreamError.message === "string" ? upstreamError.message : type;
  return { status: clientStatus, body: openaiErrorBody(message, type, null, code), headers: responseHeaders };
}

/** The error frame written when the stream fails after the 200 was sent; no `[DONE]` follows. */
export function streamErrorFrame(type: string, message: string, details?: unknown): string {
  return errorFrame(message, type, errorCode(type, details));
}
