import { randomUUID } from "node:crypto";
import { appErrorToOpenAI, isAppError, openaiErrorBody, retryHeaders } from "../errors";
import { log } from "../ops/log";

/** The one error answer of the console's HTTP edges (login, logout, tRPC's outer edge, CSV export). */
export function consoleErrorResponse(error: unknown): Response {
  const headers = { "x-content-type-options": "nosniff", "cache-control": "no-store" };
  if (isAppError(error)) {
    const { status, body } = appErrorToOpenAI(error);
    return Response.json(body, { status, headers: { ...headers, ...retryHeaders(error) } });
  }
  const requestId = randomUUID();
  log.error({ msg: "console edge failure", requestId, error: error instanceof Error ? error.message : String(error) });
  return Response.json(openaiErrorBody(`Internal error (request ${requestId})`, "api_error"), { status: 500, headers });
}
