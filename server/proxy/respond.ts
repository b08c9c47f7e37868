import { appErrorToOpenAI, isAppError, openaiErrorBody, retryHeaders, type AppError } from "../errors";
import type { ProxyResponse } from "./types";

const encoder = new TextEncoder();

export function jsonResponse(status: number, body: unknown, headers: Record<string, string>): ProxyResponse {
  return {
    status,
    headers: { "content-type": "application/json", "x-content-type-options": "nosniff", ...headers },
    body: encoder.encode(JSON.stringify(body)),
  };
}

export function appErrorResponse(error: AppError, headers: Record<string, string>): ProxyResponse {
  const { status, body } = appErrorToOpenAI(error);
  return jsonResponse(status, body, { ...headers, ...retryHeaders(error) });
}

/** Unknown errors never reach the client as they are: a generic 500 naming the request id. */
export function errorResponse(error: unknown, requestId: string, headers: Record<string, string>): ProxyResponse {
  if (isAppError(error)) return appErrorResponse(error, headers);
  return jsonResponse(500, openaiErrorBody(`Internal error (request ${requestId})`, "api_error"), headers);
}
